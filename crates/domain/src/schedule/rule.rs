//! The recurrence rule of a series: an RFC 5545 `RRULE` value, parsed, checked and expanded by
//! the `rrule` library (never by hand: BYSETPOS, week numbers and month ends are easy to get
//! subtly wrong).

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rrule::{RRule, RRuleSet, Unvalidated};

use crate::error::DomainError;

/// The wire name of the field a rule comes from.
pub const FIELD: &str = "recurrenceRule";

/// A checked rule, ready to expand from the series' start.
#[derive(Debug, Clone)]
pub struct Rule {
    /// The rule as the client wrote it (without an `RRULE:` prefix), answered back unchanged.
    text: String,
    set: RRuleSet,
}

impl Rule {
    /// The rule `text` (`FREQ=WEEKLY;BYDAY=MO`, an `RRULE:` prefix allowed) of a series starting
    /// at `start`: in `zone` for a timed series (occurrences keep their wall-clock time across
    /// daylight-saving changes), or on the calendar date `start` names for an all-day one.
    pub fn parse(text: &str, start: Start) -> Result<Rule, DomainError> {
        let text = text.trim();
        let text = strip_prefix(text);
        if text.is_empty() {
            return Err(invalid(
                "must be an RRULE value such as FREQ=WEEKLY;BYDAY=MO",
            ));
        }
        if text.contains(['\n', '\r', ':']) {
            return Err(invalid(
                "must be one RRULE value (FREQ=...;...), without other iCalendar properties",
            ));
        }
        let value = until_for(text, &start)?;
        let rule: RRule<Unvalidated> = value.parse().map_err(|e| invalid(format!("{e}")))?;
        let set = rule
            .build(start.dt_start())
            .map_err(|e| invalid(format!("{e}")))?
            // Stops a rule that can never match (FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30) after the
            // library's bound of empty periods instead of looping for ever.
            .limit();
        Ok(Rule {
            text: text.to_string(),
            set,
        })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The starts of the occurrences, in order: instants of a timed series, dates of an all-day
    /// one.
    pub fn starts(&self) -> impl Iterator<Item = DateTime<Utc>> + '_ {
        self.set.into_iter().map(|at| at.with_timezone(&Utc))
    }
}

/// Where a series starts, which decides how its rule is expanded.
#[derive(Debug, Clone, Copy)]
pub enum Start {
    /// A timed series: its first start and the zone whose wall clock it follows.
    Timed(DateTime<Utc>, Tz),
    /// An all-day series: its first date (expanded as midnight UTC, so no zone's DST can move
    /// a date; occurrence dates are read back from the UTC midnights).
    AllDay(NaiveDate),
}

impl Start {
    fn dt_start(&self) -> DateTime<rrule::Tz> {
        match *self {
            Start::Timed(at, zone) => at.with_timezone(&rrule::Tz::Tz(zone)),
            Start::AllDay(date) => date
                .and_hms_opt(0, 0, 0)
                .expect("midnight exists")
                .and_utc()
                .with_timezone(&rrule::Tz::UTC),
        }
    }
}

fn strip_prefix(text: &str) -> &str {
    match text.get(..6) {
        Some(head) if head.eq_ignore_ascii_case("RRULE:") => text[6..].trim(),
        _ => text,
    }
}

/// The rule with its `UNTIL` in the form the library expands: RFC 5545 wants a UTC date-time
/// for a timed series, and allows a date for an all-day one (the last date that may occur).
fn until_for(text: &str, start: &Start) -> Result<String, DomainError> {
    let parts: Vec<String> = text
        .split(';')
        .map(|part| {
            let Some((key, value)) = part.split_once('=') else {
                return Ok(part.to_string());
            };
            if !key.trim().eq_ignore_ascii_case("UNTIL") {
                return Ok(part.to_string());
            }
            let value = value.trim();
            let is_date = value.len() == 8 && value.bytes().all(|b| b.is_ascii_digit());
            let is_utc = value.ends_with(['Z', 'z']);
            match (start, is_date, is_utc) {
                (Start::AllDay(_), true, _) => Ok(format!("UNTIL={value}T235959Z")),
                (_, false, true) => Ok(part.to_string()),
                _ => Err(invalid(
                    "UNTIL must be a UTC date-time such as 20260430T235959Z (or, for an \
                     all-day item, a date such as 20260430)",
                )),
            }
        })
        .collect::<Result<_, _>>()?;
    Ok(parts.join(";"))
}

fn invalid(message: impl Into<String>) -> DomainError {
    DomainError::invalid(FIELD, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn berlin(text: &str) -> Start {
        Start::Timed(text.parse().unwrap(), chrono_tz::Europe::Berlin)
    }

    #[test]
    fn accepts_the_value_with_or_without_its_property_name() {
        let start = berlin("2026-03-16T09:00:00Z");
        assert_eq!(
            Rule::parse("RRULE:FREQ=WEEKLY;COUNT=2", start)
                .unwrap()
                .text(),
            "FREQ=WEEKLY;COUNT=2"
        );
        assert_eq!(
            Rule::parse(" FREQ=DAILY;COUNT=2 ", start).unwrap().text(),
            "FREQ=DAILY;COUNT=2"
        );
    }

    #[test]
    fn refuses_what_is_not_one_rrule_value() {
        let start = berlin("2026-03-16T09:00:00Z");
        for text in [
            "",
            "RRULE:",
            "FREQ=SOMETIMES",
            "FREQ=WEEKLY;BYDAY=XX",
            "FREQ=WEEKLY;COUNT=-1",
            "FREQ=MONTHLY;BYMONTHDAY=40",
            "DTSTART:20260316T090000Z\nRRULE:FREQ=DAILY",
            "hello",
        ] {
            let e = Rule::parse(text, start).unwrap_err();
            assert_eq!(e.field(), FIELD, "{text}");
        }
    }

    #[test]
    fn a_timed_until_must_be_utc() {
        let start = berlin("2026-03-16T09:00:00Z");
        assert!(Rule::parse("FREQ=DAILY;UNTIL=20260320T235959Z", start).is_ok());
        for text in [
            "FREQ=DAILY;UNTIL=20260320",
            "FREQ=DAILY;UNTIL=20260320T235959",
        ] {
            let e = Rule::parse(text, start).unwrap_err();
            assert!(e.message().contains("UTC"), "{text}: {e}");
        }
    }

    #[test]
    fn an_all_day_until_may_be_a_date_and_includes_it() {
        let start = Start::AllDay(NaiveDate::from_ymd_opt(2026, 3, 16).unwrap());
        let rule = Rule::parse("FREQ=DAILY;UNTIL=20260318", start).unwrap();
        let dates: Vec<String> = rule
            .starts()
            .map(|at| at.date_naive().to_string())
            .collect();
        assert_eq!(dates, ["2026-03-16", "2026-03-17", "2026-03-18"]);
        assert_eq!(rule.text(), "FREQ=DAILY;UNTIL=20260318");
    }
}
