//! Property tests over the pricing engine, through the crate's public API: invariants that
//! must hold for any calendar, rate plan and guests, checked against independent oracles.
//! (The cancellation schedule's properties live beside it, in `cancellation::schedule`.)

use chrono::{Datelike, Days, NaiveDate, TimeDelta};
use proptest::option::weighted;
use proptest::prelude::*;
use proptest::sample::select;
use rust_decimal::Decimal;
use wink_domain::*;

use crate::quoted::run_quoted;

const BOOKED_ON: &str = "2026-11-02";

/// Chance that one given restriction is set. Low, because a stay is only offered when every
/// one of them passes and the properties about offers need offers (about a third are).
const RARE: f64 = 0.06;

fn booked_on() -> NaiveDate {
    BOOKED_ON.parse().unwrap()
}

/// An amount with up to four decimals, so rounding to 0, 2 and 3 places all matter.
fn amount(max_units: i64) -> impl Strategy<Value = Decimal> {
    (0..=max_units * 10_000).prop_map(|raw| Decimal::new(raw, 4))
}

fn charge() -> impl Strategy<Value = VariableCharge> {
    prop_oneof![
        amount(80).prop_map(VariableCharge::Fixed),
        (0..=150i64).prop_map(|pct| VariableCharge::Percent(Decimal::new(pct, 2))),
    ]
}

fn days_of_week() -> impl Strategy<Value = DaysOfWeek> {
    (any::<[bool; 7]>(), weighted(0.1, Just(()))).prop_map(|(d, disabled)| DaysOfWeek {
        mon: d[0],
        tue: d[1],
        wed: d[2],
        thu: d[3],
        fri: d[4],
        sat: d[5],
        sun: d[6],
        disabled: disabled.is_some(),
    })
}

/// A night's record; `date` is filled in by the scenario.
fn night_rate() -> impl Strategy<Value = NightRate> {
    (
        weighted(0.97, amount(400)),
        weighted(0.97, Just(())),
        weighted(0.05, Just(())),
        weighted(0.05, Just(())),
        weighted(RARE, 1..5u32),
        weighted(RARE, 1..9u32),
        (
            weighted(0.3, charge()),
            weighted(0.3, charge()),
            weighted(0.3, charge()),
        ),
    )
        .prop_map(
            |(rate, open, cta, ctd, min_los, max_los, (single, adult, child))| NightRate {
                date: NaiveDate::MIN,
                rate,
                open: open.is_some(),
                closed_to_arrival: cta.is_some(),
                closed_to_departure: ctd.is_some(),
                min_los,
                max_los,
                single_occupancy: single,
                extra_adult: adult,
                extra_child: child,
            },
        )
}

fn fee() -> impl Strategy<Value = RatePlanFee> {
    let kind = select(vec![
        FeeKind::PerDay,
        FeeKind::PerStay,
        FeeKind::PerPersonPerDay,
        FeeKind::PerPersonPerStay,
    ]);
    (kind, amount(40)).prop_map(|(kind, amount)| RatePlanFee {
        kind,
        amount,
        name: format!("{kind:?}"),
    })
}

fn plan() -> impl Strategy<Value = RatePlanRules> {
    let windows = (
        weighted(RARE, Just(())),
        weighted(RARE, -20..20i64),
        weighted(RARE, 0..40i64),
        weighted(RARE, 0..20u32),
        weighted(RARE, 0..40u32),
    );
    let limits = (
        weighted(RARE, 1..5u32),
        weighted(RARE, 1..9u32),
        weighted(RARE, 1..4u32),
        weighted(RARE, 1..6u32),
        weighted(RARE, 0..18u32),
        weighted(RARE, 0..18u32),
    );
    let days = (
        weighted(RARE, days_of_week()),
        weighted(RARE, days_of_week()),
        weighted(RARE, days_of_week()),
        weighted(RARE, days_of_week()),
    );
    let money = (
        prop::collection::vec(fee(), 0..3),
        weighted(0.4, charge()),
        weighted(0.4, charge()),
        weighted(0.4, charge()),
    );
    (windows, limits, days, money).prop_map(|(w, l, d, m)| {
        let shift = |days: i64| {
            booked_on()
                .checked_add_signed(TimeDelta::days(days))
                .unwrap()
        };
        RatePlanRules {
            enabled: w.0.is_none(),
            sell_start: w.1.map(|days| shift(days.min(0))),
            sell_end: w.1.map(|days| shift(days.max(0))),
            stay_start: w.2.map(shift),
            stay_end: w.2.map(|days| shift(days + 10)),
            min_advance_days: w.3,
            max_advance_days: w.4,
            min_los: l.0,
            max_los: l.1,
            min_total_occupancy: l.2,
            max_total_occupancy: l.3,
            min_age: l.4,
            max_age: l.5,
            available_days: d.0,
            arrival_days: d.1,
            departure_days: d.2,
            required_days: d.3,
            fees: m.0,
            single_occupancy: m.1,
            extra_adult: m.2,
            extra_child: m.3,
            ..RatePlanRules::unrestricted()
        }
    })
}

#[derive(Debug, Clone)]
struct Scenario {
    stay: Stay,
    room: RoomRequest,
    currency: Currency,
    capacity: RoomCapacity,
    room_sellable: bool,
    plan: RatePlanRules,
    master_rate_enabled: bool,
    nights: Vec<NightRate>,
    availability: Vec<NightAvailability>,
}

impl Scenario {
    fn quote(&self) -> Result<Quote, Vec<Unavailable>> {
        quote(&QuoteRequest {
            stay: &self.stay,
            room: &self.room,
            booked_on: booked_on(),
            currency: self.currency,
            capacity: &self.capacity,
            room_sellable: self.room_sellable,
            plan: &self.plan,
            master_rate_enabled: self.master_rate_enabled,
            nights: &self.nights,
            availability: &self.availability,
        })
    }

    fn record(&self, date: NaiveDate) -> Option<&NightRate> {
        self.nights.iter().find(|night| night.date == date)
    }
}

fn scenario() -> impl Strategy<Value = Scenario> {
    let stay = (0..30u64, 1..8u32);
    let guests = (1..4u32, prop::collection::vec(0..18u32, 0..3), 1..4u32);
    let capacity = (0..3u32, 3..9u32, 2..6u32, 1..4u32, 0..4u32, 0..3u32);
    let units = prop_oneof![30 => 3..9u32, 1 => 0..3u32];
    let calendar = (
        prop::collection::vec(night_rate(), 9),
        prop::collection::vec(units, 8),
        select(vec!["EUR", "JPY", "KWD"]),
    );
    let switches = (weighted(0.97, Just(())), weighted(0.97, Just(())));
    (stay, guests, capacity, calendar, switches, plan()).prop_map(
        |(stay, guests, cap, cal, switches, plan)| {
            let arrival = booked_on() + Days::new(stay.0);
            let stay = Stay::from_nights(arrival, stay.1).unwrap();
            // Records for the nights, the departure date, and a little beyond.
            let nights = arrival
                .iter_days()
                .zip(cal.0)
                .map(|(date, night)| NightRate { date, ..night })
                .collect();
            let availability = arrival
                .iter_days()
                .zip(cal.1)
                .map(|(date, units)| NightAvailability { date, units })
                .collect();
            Scenario {
                stay,
                room: RoomRequest::new(guests.0, guests.1, guests.2).unwrap(),
                currency: Currency::parse(cal.2).unwrap(),
                capacity: RoomCapacity {
                    min_occupancy: cap.0,
                    max_occupancy: cap.1,
                    max_adults: cap.2,
                    max_children: cap.3,
                    included_adults: cap.4,
                    included_children: cap.5,
                },
                room_sellable: switches.0.is_some(),
                plan,
                master_rate_enabled: switches.1.is_some(),
                nights,
                availability,
            }
        },
    )
}

/// Lifts one restriction of a scenario.
type Relaxation = fn(&mut Scenario);

/// Ways to lift one restriction; none may turn an offered stay into an unavailable one.
fn relaxations() -> Vec<(&'static str, Relaxation)> {
    vec![
        ("open every night", |s| {
            s.nights.iter_mut().for_each(|n| n.open = true)
        }),
        ("no closed-to-arrival", |s| {
            s.nights
                .iter_mut()
                .for_each(|n| n.closed_to_arrival = false)
        }),
        ("no closed-to-departure", |s| {
            s.nights
                .iter_mut()
                .for_each(|n| n.closed_to_departure = false)
        }),
        ("no daily stay limits", |s| {
            s.nights
                .iter_mut()
                .for_each(|n| (n.min_los, n.max_los) = (None, None))
        }),
        ("more units", |s| {
            s.availability.iter_mut().for_each(|a| a.units += 10)
        }),
        ("plan enabled", |s| s.plan.enabled = true),
        ("no sell window", |s| {
            (s.plan.sell_start, s.plan.sell_end) = (None, None)
        }),
        ("no stay window", |s| {
            (s.plan.stay_start, s.plan.stay_end) = (None, None)
        }),
        ("no advance limits", |s| {
            (s.plan.min_advance_days, s.plan.max_advance_days) = (None, None)
        }),
        ("no plan stay limits", |s| {
            (s.plan.min_los, s.plan.max_los) = (None, None)
        }),
        ("no plan occupancy", |s| {
            (s.plan.min_total_occupancy, s.plan.max_total_occupancy) = (None, None)
        }),
        ("no ages", |s| {
            (s.plan.min_age, s.plan.max_age) = (None, None)
        }),
        ("no day patterns", |s| {
            s.plan.available_days = None;
            s.plan.arrival_days = None;
            s.plan.departure_days = None;
            s.plan.required_days = None;
        }),
        ("bigger room", |s| {
            s.capacity.min_occupancy = 0;
            s.capacity.max_occupancy += 10;
            s.capacity.max_adults += 10;
            s.capacity.max_children += 10;
        }),
        ("switches on", |s| {
            (s.room_sellable, s.master_rate_enabled) = (true, true)
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn an_added_restriction_is_always_reported(s in scenario(), pick in any::<prop::sample::Index>()) {
        let nights: Vec<_> = s.stay.nights().collect();
        let date = *pick.get(&nights);
        let reasons = |s: &Scenario| s.quote().err().unwrap_or_default();

        let mut stop = s.clone();
        stop.nights.iter_mut().filter(|n| n.date == date).for_each(|n| n.open = false);
        let expected = if stop.record(date).is_some_and(|n| n.rate.is_none()) {
            Unavailable::NoRate { date }
        } else {
            Unavailable::StopSell { date }
        };
        prop_assert!(reasons(&stop).contains(&expected));

        let mut full = s.clone();
        full.availability.iter_mut().filter(|a| a.date == date).for_each(|a| a.units = full.room.quantity - 1);
        let short = Unavailable::NotEnoughUnits { date, available: full.room.quantity - 1, requested: full.room.quantity };
        prop_assert!(reasons(&full).contains(&short));

        let mut cta = s.clone();
        cta.nights.iter_mut().filter(|n| n.date == s.stay.arrival()).for_each(|n| n.closed_to_arrival = true);
        let closed = Unavailable::ClosedToArrival { date: s.stay.arrival() };
        prop_assert!(reasons(&cta).contains(&closed));
    }
}

/// A third of the scenarios are offered (see [`RARE`]); a fifth at least must be for the
/// properties about offers to mean something.
const MIN_QUOTED_PERCENT: u32 = 20;

#[test]
fn totals_are_exact_sums_of_rounded_lines() {
    run_quoted(
        file!(),
        "totals_are_exact_sums_of_rounded_lines",
        scenario(),
        MIN_QUOTED_PERCENT,
        |s| {
            let Ok(q) = s.quote() else { return Ok(false) };
            let nights: Decimal = q.nights.iter().map(|n| n.price.amount).sum();
            let fees: Decimal = q.fees.iter().map(|f| f.price.amount).sum();
            prop_assert_eq!(q.room_total.amount, nights + fees);
            prop_assert_eq!(
                q.total.amount,
                q.room_total.amount * Decimal::from(s.room.quantity)
            );
            prop_assert_eq!(q.quantity, s.room.quantity);
            prop_assert!(q.total.currency == s.currency && q.room_total.currency == s.currency);
            prop_assert_eq!(q.nights.len() as u32, s.stay.night_count());
            for line in q
                .nights
                .iter()
                .map(|n| n.price)
                .chain(q.fees.iter().map(|f| f.price))
            {
                prop_assert!(!line.is_negative(), "{line}");
                prop_assert!(line.is_rounded(), "{line}");
                prop_assert_eq!(line.currency, s.currency);
            }
            for night in &q.nights {
                prop_assert!(night.single_occupancy >= Decimal::ZERO);
            }
            Ok(true)
        },
    );
}

#[test]
fn an_offered_stay_breaks_no_restriction() {
    run_quoted(
        file!(),
        "an_offered_stay_breaks_no_restriction",
        scenario(),
        MIN_QUOTED_PERCENT,
        |s| {
            let Ok(_) = s.quote() else { return Ok(false) };
            let nights = s.stay.night_count();
            prop_assert!(s.room_sellable && s.master_rate_enabled && s.plan.enabled);
            for date in s.stay.nights() {
                let night = s.record(date).expect("a record for every night");
                prop_assert!(night.rate.is_some() && night.open, "{date}");
                let units = s
                    .availability
                    .iter()
                    .find(|a| a.date == date)
                    .map_or(0, |a| a.units);
                prop_assert!(
                    units >= s.room.quantity,
                    "{date}: {units} < {}",
                    s.room.quantity
                );
                if let Some(days) = s.plan.available_days {
                    prop_assert!(days.allows(date.weekday()));
                }
            }
            let arrival = s.record(s.stay.arrival()).unwrap();
            prop_assert!(!arrival.closed_to_arrival);
            prop_assert!(arrival.min_los.is_none_or(|min| nights >= min));
            prop_assert!(arrival.max_los.is_none_or(|max| nights <= max));
            prop_assert!(s.plan.min_los.is_none_or(|min| nights >= min));
            prop_assert!(s.plan.max_los.is_none_or(|max| nights <= max));
            prop_assert!(
                s.record(s.stay.departure())
                    .is_none_or(|d| !d.closed_to_departure)
            );
            let guests = s.room.adults + s.room.child_ages.len() as u32;
            prop_assert!(guests <= s.capacity.max_occupancy && guests >= s.capacity.min_occupancy);
            prop_assert!(s.room.adults <= s.capacity.max_adults);
            prop_assert!(s.plan.max_total_occupancy.is_none_or(|max| guests <= max));
            prop_assert!(
                s.plan
                    .min_age
                    .is_none_or(|min| s.room.child_ages.iter().all(|age| *age >= min))
            );
            prop_assert!(s.stay.arrival() >= booked_on());
            Ok(true)
        },
    );
}

#[test]
fn lifting_a_restriction_keeps_an_offer_and_its_price() {
    run_quoted(
        file!(),
        "lifting_a_restriction_keeps_an_offer_and_its_price",
        scenario(),
        MIN_QUOTED_PERCENT,
        |s| {
            let Ok(offered) = s.quote() else {
                return Ok(false);
            };
            for (name, relax) in relaxations() {
                let mut relaxed = s.clone();
                relax(&mut relaxed);
                let requoted = relaxed.quote();
                prop_assert_eq!(requoted.as_ref(), Ok(&offered), "{}", name);
            }
            Ok(true)
        },
    );
}
