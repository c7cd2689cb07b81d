//! When the property may call a booking off, and what that costs.
//!
//! Days are property-local calendar days. A cancellation is possible before the departure date
//! (during the stay too: the guest leaves early); a no-show from the arrival date on, by the
//! departure date (the property learns of it on the day at the latest, and may record it the
//! morning the guest was due to leave). So before arrival only a cancellation is possible, during
//! the stay both, on the departure date only a no-show, after it neither.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};

use super::BookingStatus;
use crate::cancellation::PenaltySchedule;
use crate::money::Money;

/// How the property calls a booking off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallOff {
    Cancel,
    NoShow,
}

/// Why a booking cannot be called off that way on the day asked. Its text is the API's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// A no-show before the guest was due.
    NotYetArrived { arrival: NaiveDate },
    /// A no-show after the stay was over.
    NoShowAfterStay { departure: NaiveDate },
    /// A cancellation from the departure date on.
    StayEnded { departure: NaiveDate },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NotYetArrived { arrival } => write!(
                f,
                "the guest is expected on {arrival}: a booking becomes a no-show from its arrival \
                 date on"
            ),
            Refusal::NoShowAfterStay { departure } => write!(
                f,
                "the stay ended on {departure}: a no-show is recorded by the departure date"
            ),
            Refusal::StayEnded { departure } => write!(
                f,
                "the stay ended on {departure}: a booking cannot be cancelled from its departure \
                 date on"
            ),
        }
    }
}

impl CallOff {
    /// Whether a stay from `arrival` to `departure` may be called off this way on `today`.
    pub fn allowed(
        self,
        arrival: NaiveDate,
        departure: NaiveDate,
        today: NaiveDate,
    ) -> Result<(), Refusal> {
        match self {
            CallOff::NoShow if today < arrival => Err(Refusal::NotYetArrived { arrival }),
            CallOff::NoShow if today > departure => Err(Refusal::NoShowAfterStay { departure }),
            CallOff::Cancel if today >= departure => Err(Refusal::StayEnded { departure }),
            CallOff::Cancel | CallOff::NoShow => Ok(()),
        }
    }

    /// What calling the booking off this way at `at` costs by its schedule: a cancellation the
    /// tier in force at `at`; a no-show the charge from the arrival day on (the schedule's last,
    /// highest tier) whenever it is recorded, so recording it late does not make it cheaper.
    pub fn penalty(self, schedule: &PenaltySchedule, at: DateTime<Utc>) -> Money {
        match self {
            CallOff::Cancel => schedule.penalty_at(at),
            CallOff::NoShow => schedule.final_penalty(),
        }
    }
}

impl BookingStatus {
    /// Whether a booking in this status, for a stay from `arrival` to `departure`, can still be
    /// cancelled on `today` (the wire's `cancellable`): it holds its rooms and the departure date
    /// has not come.
    pub fn cancellable(self, arrival: NaiveDate, departure: NaiveDate, today: NaiveDate) -> bool {
        self.holds_inventory() && CallOff::Cancel.allowed(arrival, departure, today).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::date;
    use proptest::prelude::*;

    #[test]
    fn a_cancellation_until_the_day_before_departure() {
        let (arrival, departure) = (date("2030-05-10"), date("2030-05-12"));
        let cancel = |day| CallOff::Cancel.allowed(arrival, departure, date(day));
        assert_eq!(cancel("2030-05-01"), Ok(()));
        assert_eq!(cancel("2030-05-11"), Ok(()), "during the stay");
        assert_eq!(cancel("2030-05-12"), Err(Refusal::StayEnded { departure }));
        assert_eq!(cancel("2030-06-01"), Err(Refusal::StayEnded { departure }));
    }

    #[test]
    fn a_no_show_from_arrival_through_departure() {
        let (arrival, departure) = (date("2030-05-10"), date("2030-05-12"));
        let no_show = |day| CallOff::NoShow.allowed(arrival, departure, date(day));
        assert_eq!(
            no_show("2030-05-09"),
            Err(Refusal::NotYetArrived { arrival })
        );
        assert_eq!(no_show("2030-05-10"), Ok(()));
        assert_eq!(no_show("2030-05-12"), Ok(()), "departure day");
        assert_eq!(
            no_show("2030-05-13"),
            Err(Refusal::NoShowAfterStay { departure })
        );
    }

    #[test]
    fn only_a_booking_holding_its_rooms_is_cancellable() {
        let (arrival, departure) = (date("2030-05-10"), date("2030-05-12"));
        let on = |status: BookingStatus, day| status.cancellable(arrival, departure, date(day));
        assert!(on(BookingStatus::Confirmed, "2030-05-11"));
        assert!(!on(BookingStatus::Confirmed, "2030-05-12"));
        for status in [
            BookingStatus::Initialized,
            BookingStatus::Cancelled,
            BookingStatus::NoShow,
            BookingStatus::Failed,
            BookingStatus::PaymentFailed,
        ] {
            assert!(!on(status, "2030-05-01"), "{status:?}");
        }
    }

    #[test]
    fn a_no_show_costs_the_final_tier_whenever_recorded() {
        use crate::cancellation::{CancellationPolicy, FreeCancellation, RefundableCharge};
        use crate::money::Currency;
        use crate::test_support::dec;
        let eur = |a: &str| Money::new(dec(a), Currency::parse("EUR").unwrap());
        let at = |t: &str| t.parse::<DateTime<Utc>>().unwrap();
        let policy = CancellationPolicy {
            free_cancellation: Some(FreeCancellation::SevenDaysBeforeArrival),
            refundable_charge: Some(RefundableCharge::FiftyPercent),
            ..CancellationPolicy::refundable()
        };
        let schedule = policy.schedule(
            date("2030-05-10"),
            chrono_tz::UTC,
            at("2030-01-01T00:00:00Z"),
            eur("1000.00"),
            eur("250.00"),
        );
        let early = at("2030-02-01T00:00:00Z");
        assert!(CallOff::Cancel.penalty(&schedule, early).is_zero());
        let last = schedule.tiers().last().unwrap().penalty;
        assert!(!last.is_zero());
        assert_eq!(CallOff::NoShow.penalty(&schedule, early), last);
        assert_eq!(schedule.final_penalty(), last);
        let late = at("2030-05-09T00:00:00Z");
        assert_eq!(CallOff::Cancel.penalty(&schedule, late), last);
    }

    #[test]
    fn refusals_say_which_date_and_why() {
        let day = date("2030-05-10");
        assert_eq!(
            Refusal::NotYetArrived { arrival: day }.to_string(),
            "the guest is expected on 2030-05-10: a booking becomes a no-show from its arrival \
             date on"
        );
        assert_eq!(
            Refusal::NoShowAfterStay { departure: day }.to_string(),
            "the stay ended on 2030-05-10: a no-show is recorded by the departure date"
        );
        assert_eq!(
            Refusal::StayEnded { departure: day }.to_string(),
            "the stay ended on 2030-05-10: a booking cannot be cancelled from its departure date on"
        );
    }

    proptest! {
        /// Before arrival only a cancellation, during the stay both, on the departure date only a
        /// no-show, after it neither: every day falls in exactly one of these.
        #[test]
        fn each_day_allows_what_its_part_of_the_stay_allows(
            arrival_offset in -40i64..40,
            nights in 1u64..30,
            today_offset in -60i64..80,
        ) {
            let base = date("2030-01-01");
            let arrival = base + chrono::Duration::days(arrival_offset);
            let departure = arrival + chrono::Days::new(nights);
            let today = base + chrono::Duration::days(today_offset);
            let cancel = CallOff::Cancel.allowed(arrival, departure, today).is_ok();
            let no_show = CallOff::NoShow.allowed(arrival, departure, today).is_ok();
            let expected = if today < arrival {
                (true, false)
            } else if today < departure {
                (true, true)
            } else if today == departure {
                (false, true)
            } else {
                (false, false)
            };
            prop_assert_eq!((cancel, no_show), expected);
        }
    }
}
