//! Properties of every penalty schedule, for any policy (valid or not), zone, booking
//! instant and amounts.

use chrono::{DateTime, Days, NaiveDate, TimeDelta, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;
use proptest::sample::select;
use rust_decimal::Decimal;

use crate::cancellation::*;
use crate::money::{Currency, Money};

fn zone() -> impl Strategy<Value = Tz> {
    select(vec![
        Tz::UTC,
        Tz::Asia__Bangkok,
        Tz::Europe__Berlin,
        Tz::America__New_York,
        Tz::America__Santiago,
        Tz::America__Havana,
        Tz::Asia__Beirut,
        Tz::Australia__Lord_Howe,
    ])
}

fn policy() -> impl Strategy<Value = CancellationPolicy> {
    use FreeCancellation as F;
    use NonRefundableDeadline as D;
    let free = select(vec![
        F::UntilEighteenHundredHoursOnDayOfArrival,
        F::UntilFourteenHundredHoursOnDayOfArrival,
        F::OneDayBeforeArrival,
        F::TwoDaysBeforeArrival,
        F::ThreeDaysBeforeArrival,
        F::FiveDaysBeforeArrival,
        F::SevenDaysBeforeArrival,
        F::FourteenDaysBeforeArrival,
        F::TwentyoneDaysBeforeArrival,
        F::ThirtyDaysBeforeArrival,
        F::FourtyTwoDaysBeforeArrival,
        F::SixtyDaysBeforeArrival,
    ]);
    use RefundableCharge as R;
    let refundable_charge = select(vec![
        R::FirstNight,
        R::ThirtyPercent,
        R::FiftyPercent,
        R::SixtyPercent,
        R::SeventyPercent,
        R::NinentyPercent,
        R::OneHundredPercent,
    ]);
    let no_show = select(vec![
        NoShowCharge::SameAsCancellationFee,
        NoShowCharge::OneHundredPercentOfTotalCharge,
    ]);
    use NonRefundableCharge as N;
    let nr_charge = select(vec![
        N::FirstNight,
        N::TenPercent,
        N::ThirtyPercent,
        N::FiftyPercent,
        N::SeventyPercent,
    ]);
    let deadline = select(vec![
        D::OneDayBeforeArrival,
        D::TwoDaysBeforeArrival,
        D::ThreeDaysBeforeArrival,
        D::FiveDaysBeforeArrival,
        D::SevenDaysBeforeArrival,
        D::FourteenDaysBeforeArrival,
        D::TwentyoneDaysBeforeArrival,
        D::ThirtyDaysBeforeArrival,
        D::FourtyTwoDaysBeforeArrival,
        D::SixtyDaysBeforeArrival,
    ]);
    use AfterDeadlineCharge as A;
    let after = select(vec![
        A::FirstNight,
        A::TenPercent,
        A::ThirtyPercent,
        A::FiftyPercent,
        A::SeventyPercent,
        A::OneHundredPercent,
    ]);
    (
        any::<bool>(),
        proptest::option::of(free),
        proptest::option::of(refundable_charge),
        proptest::option::of(no_show),
        proptest::option::of(nr_charge),
        proptest::option::of(deadline),
        proptest::option::of(after),
    )
        .prop_map(|(refundable, free, charge, no_show, nr, deadline, after)| {
            CancellationPolicy {
                refundable,
                free_cancellation: free,
                refundable_charge: charge,
                no_show,
                non_refundable_charge: nr,
                non_refundable_deadline: deadline,
                after_deadline_charge: after,
            }
        })
}

#[derive(Debug, Clone)]
struct Booking {
    policy: CancellationPolicy,
    tz: Tz,
    arrival: NaiveDate,
    booked_at: DateTime<Utc>,
    total: Money,
    first_night: Money,
}

fn booking() -> impl Strategy<Value = Booking> {
    let amounts = (
        0..=500_000i64,
        0..=600_000i64,
        select(vec!["EUR", "JPY", "KWD"]),
    );
    (
        policy(),
        zone(),
        0..800u64,
        -90 * 86_400..3 * 86_400i64,
        amounts,
    )
        .prop_map(|(policy, tz, day, before, (total, first, code))| {
            let arrival = "2026-01-01".parse::<NaiveDate>().unwrap() + Days::new(day);
            let currency = Currency::parse(code).unwrap();
            let total = Money::new(Decimal::new(total, 2), currency).round();
            // A first night is part of the total, except in the odd case tested by the cap.
            let first_night = Money::new(Decimal::new(first, 2), currency).round();
            let booked_at = start_of_day(tz, arrival) + TimeDelta::seconds(before);
            Booking {
                policy,
                tz,
                arrival,
                booked_at,
                total,
                first_night,
            }
        })
}

impl Booking {
    fn schedule_from(&self, booked_at: DateTime<Utc>) -> PenaltySchedule {
        self.policy.schedule(
            self.arrival,
            self.tz,
            booked_at,
            self.total,
            self.first_night,
        )
    }
}

/// Instants around every tier boundary plus some spread over the whole period.
fn probe_instants(
    schedule: &PenaltySchedule,
    from: DateTime<Utc>,
    offsets: &[i64],
) -> Vec<DateTime<Utc>> {
    let mut instants: Vec<_> = offsets
        .iter()
        .map(|s| from + TimeDelta::seconds(*s))
        .collect();
    for tier in schedule.tiers() {
        for edge in [Some(tier.from), tier.until].into_iter().flatten() {
            instants.extend([
                edge - TimeDelta::seconds(1),
                edge,
                edge + TimeDelta::seconds(1),
            ]);
        }
    }
    instants.sort();
    instants
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn penalties_never_decrease_and_never_exceed_the_total(
        b in booking(),
        offsets in prop::collection::vec(-86_400..120 * 86_400i64, 0..20),
    ) {
        let schedule = b.schedule_from(b.booked_at);
        let tiers = schedule.tiers();
        prop_assert!(!tiers.is_empty());
        prop_assert_eq!(tiers[0].from, b.booked_at);
        prop_assert_eq!(tiers.last().unwrap().until, None);
        for pair in tiers.windows(2) {
            prop_assert_eq!(pair[0].until, Some(pair[1].from));
            prop_assert!(pair[0].from < pair[1].from);
            prop_assert!(pair[0].penalty.amount < pair[1].penalty.amount);
        }
        let mut previous = Money::zero(b.total.currency);
        for instant in probe_instants(&schedule, b.booked_at, &offsets) {
            let penalty = schedule.penalty_at(instant);
            prop_assert!(penalty.amount >= previous.amount, "{} then {} at {}", previous, penalty, instant);
            prop_assert!(penalty.amount <= b.total.amount && !penalty.is_negative());
            prop_assert!(penalty.is_rounded() && penalty.currency == b.total.currency);
            previous = penalty;
        }
        if let Some(until) = schedule.free_until() {
            prop_assert!(schedule.penalty_at(until - TimeDelta::seconds(1)).is_zero());
            prop_assert!(!schedule.penalty_at(until).is_zero());
        }
    }

    #[test]
    fn the_penalty_at_an_instant_does_not_depend_on_when_the_booking_was_made(
        b in booking(),
        later_by in 0..60 * 86_400i64,
        offsets in prop::collection::vec(0..120 * 86_400i64, 1..20),
    ) {
        let early = b.schedule_from(b.booked_at);
        let late_booking = b.booked_at + TimeDelta::seconds(later_by);
        let late = b.schedule_from(late_booking);
        for instant in probe_instants(&late, late_booking, &offsets).into_iter().filter(|t| *t >= late_booking) {
            prop_assert_eq!(early.penalty_at(instant), late.penalty_at(instant), "at {}", instant);
        }
    }

    #[test]
    fn valid_refundable_policies_are_free_until_their_deadline(b in booking()) {
        let policy = CancellationPolicy { refundable: true, non_refundable_charge: None, non_refundable_deadline: None, after_deadline_charge: None, ..b.policy };
        prop_assert!(policy.validate().is_ok());
        let schedule = policy.schedule(b.arrival, b.tz, b.booked_at, b.total, b.first_night);
        // Booked before the earliest deadline there is (60 days), it always starts free.
        let before_any_deadline = start_of_day(b.tz, b.arrival) - TimeDelta::days(61);
        if b.booked_at < before_any_deadline && !b.total.is_zero() {
            prop_assert!(schedule.penalty_at(b.booked_at).is_zero());
            prop_assert!(schedule.free_until().is_some());
        }
    }
}
