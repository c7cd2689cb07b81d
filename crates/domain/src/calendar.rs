//! The daily calendar: one master rate's settings for a date, one room type's remaining
//! rooms for a date, and the restrictions they impose on a stay.
//!
//! Availability is held per ROOM TYPE and shared by all its rate plans: two rate plans sell
//! the same physical rooms, so counting units per rate plan would sell a room twice.
//! Bookings decrement it; `units` is what is left.
//!
//! Decisions:
//! - A night with no rate record, or a record without a rate, is not sold (`NO_RATE`): a
//!   price is never invented.
//! - A night with no availability record has no rooms left (`NOT_ENOUGH_UNITS`, 0 available).
//! - Closed-to-arrival and the daily min/max length of stay are read from the ARRIVAL date's
//!   record ("minimum length of stay required for arrivals on this date", says the contract);
//!   closed-to-departure from the DEPARTURE date's record, which is not a night of the stay
//!   and is only checked when the caller supplies it.
//! - If a date has several records, the first one counts.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::charge::VariableCharge;
use crate::stay::Stay;
use crate::unavailable::Unavailable;

/// A master rate's (room type × rate plan) settings for one date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NightRate {
    pub date: NaiveDate,
    /// Price of the night for the included guests, in the property's currency.
    pub rate: Option<Decimal>,
    /// Sellable that day (the contract's `master`); false is a stop-sell.
    pub open: bool,
    pub closed_to_arrival: bool,
    pub closed_to_departure: bool,
    /// Minimum nights for stays ARRIVING this date (the contract's -1 arrives as `None`).
    pub min_los: Option<u32>,
    /// Maximum nights for stays arriving this date.
    pub max_los: Option<u32>,
    /// Overrides the rate plan's modifier for this night when set.
    pub single_occupancy: Option<VariableCharge>,
    pub extra_adult: Option<VariableCharge>,
    pub extra_child: Option<VariableCharge>,
}

impl NightRate {
    /// An open night at `rate` with no restriction and no modifier of its own.
    pub fn priced(date: NaiveDate, rate: Decimal) -> NightRate {
        NightRate {
            date,
            rate: Some(rate),
            open: true,
            closed_to_arrival: false,
            closed_to_departure: false,
            min_los: None,
            max_los: None,
            single_occupancy: None,
            extra_adult: None,
            extra_child: None,
        }
    }
}

/// Rooms of a room type still free on one night.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NightAvailability {
    pub date: NaiveDate,
    pub units: u32,
}

/// First record per date, for lookups by date.
pub(crate) fn index_by_date<T>(
    items: &[T],
    date_of: impl Fn(&T) -> NaiveDate,
) -> HashMap<NaiveDate, &T> {
    let mut index = HashMap::with_capacity(items.len());
    for item in items {
        index.entry(date_of(item)).or_insert(item);
    }
    index
}

/// Every reason the calendar refuses `quantity` rooms for `stay`; empty when it accepts.
pub fn check_calendar(
    stay: &Stay,
    quantity: u32,
    nights: &[NightRate],
    availability: &[NightAvailability],
) -> Vec<Unavailable> {
    let rates = index_by_date(nights, |night| night.date);
    let units = index_by_date(availability, |day| day.date);
    let mut reasons = Vec::new();

    if let Some(arrival) = rates.get(&stay.arrival()) {
        reasons.extend(check_arrival(stay, arrival));
    }
    for date in stay.nights() {
        match rates.get(&date) {
            Some(night) if night.rate.is_none() => reasons.push(Unavailable::NoRate { date }),
            Some(night) if !night.open => reasons.push(Unavailable::StopSell { date }),
            Some(_) => {}
            None => reasons.push(Unavailable::NoRate { date }),
        }
        let available = units.get(&date).map_or(0, |day| day.units);
        if available < quantity {
            reasons.push(Unavailable::NotEnoughUnits {
                date,
                available,
                requested: quantity,
            });
        }
    }
    if rates
        .get(&stay.departure())
        .is_some_and(|day| day.closed_to_departure)
    {
        reasons.push(Unavailable::ClosedToDeparture {
            date: stay.departure(),
        });
    }
    reasons
}

/// Restrictions carried by the arrival date's record.
fn check_arrival(stay: &Stay, arrival: &NightRate) -> Vec<Unavailable> {
    let date = arrival.date;
    let nights = stay.night_count();
    let mut reasons = Vec::new();
    if arrival.closed_to_arrival {
        reasons.push(Unavailable::ClosedToArrival { date });
    }
    if let Some(min) = arrival.min_los.filter(|min| nights < *min) {
        reasons.push(Unavailable::MinStayFromArrival { date, min, nights });
    }
    if let Some(max) = arrival.max_los.filter(|max| nights > *max) {
        reasons.push(Unavailable::MaxStayFromArrival { date, max, nights });
    }
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{date, dec};

    fn stay(arrival: &str, departure: &str) -> Stay {
        Stay::new(date(arrival), date(departure)).unwrap()
    }

    /// Open, priced nights and `units` rooms from `first` for `days` days.
    fn calendar(first: &str, days: u64, units: u32) -> (Vec<NightRate>, Vec<NightAvailability>) {
        let first = date(first);
        let dates: Vec<_> = first.iter_days().take(days as usize).collect();
        let rates = dates
            .iter()
            .map(|d| NightRate::priced(*d, dec("100")))
            .collect();
        let avail = dates
            .iter()
            .map(|d| NightAvailability { date: *d, units })
            .collect();
        (rates, avail)
    }

    fn codes(reasons: Vec<Unavailable>) -> Vec<&'static str> {
        reasons.iter().map(Unavailable::code).collect()
    }

    #[test]
    fn open_priced_available_nights_pass() {
        let (rates, avail) = calendar("2026-12-01", 5, 2);
        assert!(check_calendar(&stay("2026-12-01", "2026-12-04"), 2, &rates, &avail).is_empty());
    }

    #[test]
    fn missing_rate_record_or_rate_blocks_that_night() {
        let (mut rates, avail) = calendar("2026-12-01", 5, 1);
        rates[1].rate = None;
        rates.remove(2);
        let reasons = check_calendar(&stay("2026-12-01", "2026-12-04"), 1, &rates, &avail);
        assert_eq!(
            reasons,
            [
                Unavailable::NoRate {
                    date: date("2026-12-02")
                },
                Unavailable::NoRate {
                    date: date("2026-12-03")
                }
            ]
        );
    }

    #[test]
    fn stop_sell_blocks_only_nights_of_the_stay() {
        let (mut rates, avail) = calendar("2026-12-01", 5, 1);
        rates[3].open = false; // the departure date is not a night
        assert!(check_calendar(&stay("2026-12-01", "2026-12-04"), 1, &rates, &avail).is_empty());
        rates[2].open = false;
        let reasons = check_calendar(&stay("2026-12-01", "2026-12-04"), 1, &rates, &avail);
        assert_eq!(
            reasons,
            [Unavailable::StopSell {
                date: date("2026-12-03")
            }]
        );
    }

    #[test]
    fn units_below_quantity_block_and_missing_availability_is_zero() {
        let (rates, mut avail) = calendar("2026-12-01", 5, 2);
        let s = stay("2026-12-01", "2026-12-03");
        assert!(check_calendar(&s, 2, &rates, &avail).is_empty());
        avail[1].units = 1;
        avail.remove(0);
        let reasons = check_calendar(&s, 2, &rates, &avail);
        assert_eq!(
            reasons,
            [
                Unavailable::NotEnoughUnits {
                    date: date("2026-12-01"),
                    available: 0,
                    requested: 2
                },
                Unavailable::NotEnoughUnits {
                    date: date("2026-12-02"),
                    available: 1,
                    requested: 2
                }
            ]
        );
    }

    #[test]
    fn closed_to_arrival_applies_on_the_arrival_date_only() {
        let (mut rates, avail) = calendar("2026-12-01", 5, 1);
        rates[1].closed_to_arrival = true;
        assert!(check_calendar(&stay("2026-12-01", "2026-12-04"), 1, &rates, &avail).is_empty());
        let reasons = check_calendar(&stay("2026-12-02", "2026-12-04"), 1, &rates, &avail);
        assert_eq!(codes(reasons), ["CLOSED_TO_ARRIVAL"]);
    }

    #[test]
    fn closed_to_departure_applies_on_the_departure_date_only() {
        let (mut rates, avail) = calendar("2026-12-01", 5, 1);
        rates[2].closed_to_departure = true;
        assert!(check_calendar(&stay("2026-12-01", "2026-12-04"), 1, &rates, &avail).is_empty());
        let reasons = check_calendar(&stay("2026-12-01", "2026-12-03"), 1, &rates, &avail);
        assert_eq!(
            reasons,
            [Unavailable::ClosedToDeparture {
                date: date("2026-12-03")
            }]
        );
        // Without a record for the departure date nothing is known, so nothing blocks.
        rates.truncate(2);
        let (_, avail) = calendar("2026-12-01", 2, 1);
        assert!(check_calendar(&stay("2026-12-01", "2026-12-03"), 1, &rates, &avail).is_empty());
    }

    #[test]
    fn daily_min_stay_is_read_from_the_arrival_night() {
        let (mut rates, avail) = calendar("2026-12-01", 5, 1);
        rates[0].min_los = Some(3);
        rates[1].min_los = Some(5); // a later night's minimum does not bind this arrival
        assert!(check_calendar(&stay("2026-12-01", "2026-12-04"), 1, &rates, &avail).is_empty());
        let reasons = check_calendar(&stay("2026-12-01", "2026-12-03"), 1, &rates, &avail);
        assert_eq!(
            reasons,
            [Unavailable::MinStayFromArrival {
                date: date("2026-12-01"),
                min: 3,
                nights: 2
            }]
        );
    }

    #[test]
    fn daily_max_stay_is_read_from_the_arrival_night() {
        let (mut rates, avail) = calendar("2026-12-01", 5, 1);
        rates[0].max_los = Some(2);
        assert!(check_calendar(&stay("2026-12-01", "2026-12-03"), 1, &rates, &avail).is_empty());
        let reasons = check_calendar(&stay("2026-12-01", "2026-12-04"), 1, &rates, &avail);
        assert_eq!(codes(reasons), ["MAX_LENGTH_OF_STAY"]);
    }

    #[test]
    fn every_reason_is_collected() {
        let (mut rates, mut avail) = calendar("2026-12-01", 5, 1);
        rates[0].closed_to_arrival = true;
        rates[0].min_los = Some(4);
        rates[1].open = false;
        rates[2].closed_to_departure = true;
        avail[0].units = 0;
        let reasons = check_calendar(&stay("2026-12-01", "2026-12-03"), 1, &rates, &avail);
        assert_eq!(
            codes(reasons),
            [
                "CLOSED_TO_ARRIVAL",
                "MIN_LENGTH_OF_STAY",
                "NOT_ENOUGH_UNITS",
                "STOP_SELL",
                "CLOSED_TO_DEPARTURE"
            ]
        );
    }

    #[test]
    fn first_record_of_a_date_wins() {
        let d = date("2026-12-01");
        let rates = [
            NightRate::priced(d, dec("1")),
            NightRate {
                open: false,
                ..NightRate::priced(d, dec("2"))
            },
        ];
        let index = index_by_date(&rates, |night| night.date);
        assert_eq!(index[&d].rate, Some(dec("1")));
    }
}
