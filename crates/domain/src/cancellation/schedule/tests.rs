use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;

use crate::cancellation::{
    AfterDeadlineCharge, CancellationPolicy, FreeCancellation, NoShowCharge, NonRefundableCharge,
    NonRefundableDeadline, PenaltySchedule, RefundableCharge,
};
use crate::money::{Currency, Money};
use crate::test_support::{date, dec};

pub(super) fn utc(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

pub(super) fn eur(amount: &str) -> Money {
    Money::new(dec(amount), Currency::parse("EUR").unwrap())
}

pub(super) const SECOND: TimeDelta = TimeDelta::seconds(1);

pub(super) fn free(
    rule: Option<FreeCancellation>,
    charge: Option<RefundableCharge>,
    no_show: Option<NoShowCharge>,
) -> CancellationPolicy {
    CancellationPolicy {
        free_cancellation: rule,
        refundable_charge: charge,
        no_show,
        ..CancellationPolicy::refundable()
    }
}

fn non_refundable(
    charge: Option<NonRefundableCharge>,
    deadline: Option<NonRefundableDeadline>,
    after: Option<AfterDeadlineCharge>,
) -> CancellationPolicy {
    CancellationPolicy {
        non_refundable_charge: charge,
        non_refundable_deadline: deadline,
        after_deadline_charge: after,
        ..CancellationPolicy::non_refundable()
    }
}

/// A 1000.00 EUR booking whose first nights cost 250.00, arriving `arrival`, booked early.
pub(super) fn schedule(policy: CancellationPolicy, arrival: &str, tz: Tz) -> PenaltySchedule {
    policy.schedule(
        date(arrival),
        tz,
        utc("2026-01-01T00:00:00Z"),
        eur("1000.00"),
        eur("250.00"),
    )
}

/// Asserts the penalty is `before` one second before `deadline` and `after` at it.
pub(super) fn steps_at(schedule: &PenaltySchedule, deadline: &str, before: &str, after: &str) {
    let deadline = utc(deadline);
    assert_eq!(
        schedule.penalty_at(deadline - SECOND),
        eur(before),
        "just before {deadline}"
    );
    assert_eq!(schedule.penalty_at(deadline), eur(after), "at {deadline}");
}

#[test]
fn every_free_cancellation_deadline_in_utc() {
    use FreeCancellation::*;
    let cases = [
        (
            UntilEighteenHundredHoursOnDayOfArrival,
            "2026-06-10T18:00:00Z",
        ),
        (
            UntilFourteenHundredHoursOnDayOfArrival,
            "2026-06-10T14:00:00Z",
        ),
        (OneDayBeforeArrival, "2026-06-10T00:00:00Z"),
        (TwoDaysBeforeArrival, "2026-06-09T00:00:00Z"),
        (ThreeDaysBeforeArrival, "2026-06-08T00:00:00Z"),
        (FiveDaysBeforeArrival, "2026-06-06T00:00:00Z"),
        (SevenDaysBeforeArrival, "2026-06-04T00:00:00Z"),
        (FourteenDaysBeforeArrival, "2026-05-28T00:00:00Z"),
        (TwentyoneDaysBeforeArrival, "2026-05-21T00:00:00Z"),
        (ThirtyDaysBeforeArrival, "2026-05-12T00:00:00Z"),
        (FourtyTwoDaysBeforeArrival, "2026-04-30T00:00:00Z"),
        (SixtyDaysBeforeArrival, "2026-04-12T00:00:00Z"),
    ];
    for (rule, deadline) in cases {
        let s = schedule(
            free(Some(rule), Some(RefundableCharge::FiftyPercent), None),
            "2026-06-10",
            Tz::UTC,
        );
        steps_at(&s, deadline, "0.00", "500.00");
        assert_eq!(s.free_until(), Some(utc(deadline)), "{rule:?}");
    }
}

#[test]
fn refundable_without_a_rule_is_free_until_the_arrival_day_then_full() {
    let s = schedule(CancellationPolicy::refundable(), "2026-06-10", Tz::UTC);
    steps_at(&s, "2026-06-10T00:00:00Z", "0.00", "1000.00");
    assert_eq!(s.tiers().len(), 2);
}

#[test]
fn no_show_charge_starts_with_the_arrival_day() {
    let policy = free(
        Some(FreeCancellation::SevenDaysBeforeArrival),
        Some(RefundableCharge::FiftyPercent),
        Some(NoShowCharge::OneHundredPercentOfTotalCharge),
    );
    let s = schedule(policy, "2026-06-10", Tz::UTC);
    steps_at(&s, "2026-06-04T00:00:00Z", "0.00", "500.00");
    steps_at(&s, "2026-06-10T00:00:00Z", "500.00", "1000.00");
    assert_eq!(s.tiers().len(), 3);
    // Unset and SAME_AS_CANCELLATION_FEE keep the cancellation fee for a no-show.
    for no_show in [None, Some(NoShowCharge::SameAsCancellationFee)] {
        let policy = free(
            Some(FreeCancellation::SevenDaysBeforeArrival),
            Some(RefundableCharge::FiftyPercent),
            no_show,
        );
        let s = schedule(policy, "2026-06-10", Tz::UTC);
        assert_eq!(s.penalty_at(utc("2026-06-11T00:00:00Z")), eur("500.00"));
        assert_eq!(s.tiers().len(), 2);
    }
}

#[test]
fn same_day_deadline_stays_free_through_the_morning_of_arrival() {
    let policy = free(
        Some(FreeCancellation::UntilEighteenHundredHoursOnDayOfArrival),
        Some(RefundableCharge::FirstNight),
        Some(NoShowCharge::OneHundredPercentOfTotalCharge),
    );
    let s = schedule(policy, "2026-06-10", Tz::UTC);
    assert_eq!(s.penalty_at(utc("2026-06-10T09:00:00Z")), eur("0.00"));
    steps_at(&s, "2026-06-10T18:00:00Z", "0.00", "1000.00");
}

#[test]
fn first_night_versus_percentage() {
    let first = free(
        Some(FreeCancellation::ThreeDaysBeforeArrival),
        Some(RefundableCharge::FirstNight),
        None,
    );
    steps_at(
        &schedule(first, "2026-06-10", Tz::UTC),
        "2026-06-08T00:00:00Z",
        "0.00",
        "250.00",
    );
    let percent = free(
        Some(FreeCancellation::ThreeDaysBeforeArrival),
        Some(RefundableCharge::ThirtyPercent),
        None,
    );
    steps_at(
        &schedule(percent, "2026-06-10", Tz::UTC),
        "2026-06-08T00:00:00Z",
        "0.00",
        "300.00",
    );
}

#[test]
fn non_refundable_two_tiers() {
    let policy = non_refundable(
        Some(NonRefundableCharge::TenPercent),
        Some(NonRefundableDeadline::SevenDaysBeforeArrival),
        Some(AfterDeadlineCharge::OneHundredPercent),
    );
    let s = schedule(policy, "2026-06-10", Tz::Europe__Berlin);
    assert_eq!(s.penalty_at(utc("2026-01-01T00:00:00Z")), eur("100.00"));
    steps_at(&s, "2026-06-03T22:00:00Z", "100.00", "1000.00");
    assert_eq!(s.free_until(), None);
    assert_eq!(s.tiers().len(), 2);
}

#[test]
fn non_refundable_defaults_are_full_charges() {
    let s = schedule(CancellationPolicy::non_refundable(), "2026-06-10", Tz::UTC);
    assert_eq!(s.tiers().len(), 1);
    assert_eq!(s.tiers()[0].from, utc("2026-01-01T00:00:00Z"));
    assert_eq!(s.tiers()[0].until, None);
    assert_eq!(s.penalty_at(utc("2026-06-11T00:00:00Z")), eur("1000.00"));
    let deadline_only = non_refundable(
        Some(NonRefundableCharge::FiftyPercent),
        Some(NonRefundableDeadline::OneDayBeforeArrival),
        None,
    );
    steps_at(
        &schedule(deadline_only, "2026-06-10", Tz::UTC),
        "2026-06-10T00:00:00Z",
        "500.00",
        "1000.00",
    );
}

#[test]
fn a_later_tier_never_charges_less() {
    // First night (250) then 10 % (100): the 250 goes on after the deadline.
    let policy = non_refundable(
        Some(NonRefundableCharge::FirstNight),
        Some(NonRefundableDeadline::ThreeDaysBeforeArrival),
        Some(AfterDeadlineCharge::TenPercent),
    );
    let s = schedule(policy, "2026-06-10", Tz::UTC);
    assert_eq!(s.tiers().len(), 1);
    assert_eq!(s.penalty_at(utc("2026-06-09T00:00:00Z")), eur("250.00"));
    // Booked after the deadline, the same instant costs the same.
    let late = policy.schedule(
        date("2026-06-09"),
        Tz::UTC,
        utc("2026-06-08T12:00:00Z"),
        eur("1000.00"),
        eur("250.00"),
    );
    assert_eq!(late.penalty_at(utc("2026-06-09T00:00:00Z")), eur("250.00"));
}

#[test]
fn booking_after_a_deadline_drops_the_earlier_tiers() {
    let policy = free(
        Some(FreeCancellation::SevenDaysBeforeArrival),
        Some(RefundableCharge::FiftyPercent),
        Some(NoShowCharge::OneHundredPercentOfTotalCharge),
    );
    let booked_at = utc("2026-06-05T08:30:00Z");
    let s = policy.schedule(
        date("2026-06-10"),
        Tz::UTC,
        booked_at,
        eur("1000.00"),
        eur("250.00"),
    );
    assert_eq!(s.tiers().len(), 2);
    assert_eq!(
        (s.tiers()[0].from, s.tiers()[0].until),
        (booked_at, Some(utc("2026-06-10T00:00:00Z")))
    );
    assert_eq!(s.tiers()[0].penalty, eur("500.00"));
    assert_eq!(s.tiers()[1].penalty, eur("1000.00"));
    assert_eq!(s.free_until(), None);
    // An instant before the booking counts as the booking instant.
    assert_eq!(s.penalty_at(utc("2026-01-01T00:00:00Z")), eur("500.00"));
    // Booked on the arrival day itself: only the no-show tier is left.
    let same_day = policy.schedule(
        date("2026-06-10"),
        Tz::UTC,
        utc("2026-06-10T09:00:00Z"),
        eur("1000.00"),
        eur("250.00"),
    );
    assert_eq!(same_day.tiers().len(), 1);
    assert_eq!(
        same_day.penalty_at(utc("2026-06-10T09:00:00Z")),
        eur("1000.00")
    );
}

#[test]
fn booking_within_the_free_period_starts_the_schedule() {
    let policy = free(
        Some(FreeCancellation::SevenDaysBeforeArrival),
        Some(RefundableCharge::FiftyPercent),
        None,
    );
    let booked_at = utc("2026-05-01T10:00:00Z");
    let s = policy.schedule(
        date("2026-06-10"),
        Tz::UTC,
        booked_at,
        eur("1000.00"),
        eur("250.00"),
    );
    assert_eq!(s.tiers()[0].from, booked_at);
    for pair in s.tiers().windows(2) {
        assert_eq!(pair[0].until, Some(pair[1].from));
    }
    assert_eq!(s.tiers().last().unwrap().until, None);
}

#[test]
fn a_zero_total_is_free_forever() {
    let s = CancellationPolicy::non_refundable().schedule(
        date("2026-06-10"),
        Tz::UTC,
        utc("2026-01-01T00:00:00Z"),
        eur("0"),
        eur("0"),
    );
    assert_eq!(s.tiers().len(), 1);
    assert!(s.penalty_at(utc("2027-01-01T00:00:00Z")).is_zero());
    assert_eq!(s.free_until(), None);
}

#[test]
fn penalties_are_rounded_in_the_currency() {
    let jpy = Currency::parse("JPY").unwrap();
    let policy = free(
        Some(FreeCancellation::OneDayBeforeArrival),
        Some(RefundableCharge::ThirtyPercent),
        None,
    );
    let total = Money::new(dec("12345"), jpy);
    let s = policy.schedule(
        date("2026-06-10"),
        Tz::Asia__Tokyo,
        utc("2026-01-01T00:00:00Z"),
        total,
        total,
    );
    assert_eq!(
        s.penalty_at(utc("2026-06-10T00:00:00Z")),
        Money::new(dec("3704"), jpy)
    ); // 3703.5
}
