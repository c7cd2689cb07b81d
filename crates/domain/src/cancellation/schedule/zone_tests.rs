//! Deadlines in zones with an offset, with DST switches, and with switches at midnight.

use chrono_tz::Tz;

use super::tests::{free, schedule, steps_at};
use crate::cancellation::{FreeCancellation, RefundableCharge};

#[test]
fn bangkok_deadlines_are_local_midnight_and_local_hours() {
    let bkk = Tz::Asia__Bangkok; // UTC+7, no DST
    let one_day = free(
        Some(FreeCancellation::OneDayBeforeArrival),
        Some(RefundableCharge::FiftyPercent),
        None,
    );
    steps_at(
        &schedule(one_day, "2026-06-10", bkk),
        "2026-06-09T17:00:00Z",
        "0.00",
        "500.00",
    );
    let six_pm = free(
        Some(FreeCancellation::UntilEighteenHundredHoursOnDayOfArrival),
        None,
        None,
    );
    steps_at(
        &schedule(six_pm, "2026-06-10", bkk),
        "2026-06-10T11:00:00Z",
        "0.00",
        "1000.00",
    );
}

#[test]
fn berlin_across_the_march_and_october_switches() {
    let berlin = Tz::Europe__Berlin;
    let rule = |r| free(Some(r), Some(RefundableCharge::FiftyPercent), None);
    // 29 March 2026 has 23 hours: the day starts at 23:00Z (CET), the next at 22:00Z (CEST).
    let one = schedule(
        rule(FreeCancellation::OneDayBeforeArrival),
        "2026-03-30",
        berlin,
    );
    steps_at(&one, "2026-03-29T22:00:00Z", "0.00", "500.00");
    let two = schedule(
        rule(FreeCancellation::TwoDaysBeforeArrival),
        "2026-03-30",
        berlin,
    );
    steps_at(&two, "2026-03-28T23:00:00Z", "0.00", "500.00");
    // 25 October 2026 has 25 hours.
    let one = schedule(
        rule(FreeCancellation::OneDayBeforeArrival),
        "2026-10-26",
        berlin,
    );
    steps_at(&one, "2026-10-25T23:00:00Z", "0.00", "500.00");
    let two = schedule(
        rule(FreeCancellation::TwoDaysBeforeArrival),
        "2026-10-26",
        berlin,
    );
    steps_at(&two, "2026-10-24T22:00:00Z", "0.00", "500.00");
    // An 18:00 deadline on a switch day is 18:00 local after the switch.
    let six_pm = schedule(
        rule(FreeCancellation::UntilEighteenHundredHoursOnDayOfArrival),
        "2026-03-29",
        berlin,
    );
    steps_at(&six_pm, "2026-03-29T16:00:00Z", "0.00", "500.00");
}

#[test]
fn new_york_across_the_switches() {
    let ny = Tz::America__New_York;
    let rule = |r| free(Some(r), Some(RefundableCharge::FiftyPercent), None);
    steps_at(
        &schedule(
            rule(FreeCancellation::OneDayBeforeArrival),
            "2026-03-09",
            ny,
        ),
        "2026-03-09T04:00:00Z",
        "0.00",
        "500.00",
    );
    steps_at(
        &schedule(
            rule(FreeCancellation::TwoDaysBeforeArrival),
            "2026-03-09",
            ny,
        ),
        "2026-03-08T05:00:00Z",
        "0.00",
        "500.00",
    );
    steps_at(
        &schedule(
            rule(FreeCancellation::UntilFourteenHundredHoursOnDayOfArrival),
            "2026-11-01",
            ny,
        ),
        "2026-11-01T19:00:00Z",
        "0.00",
        "500.00",
    );
}

#[test]
fn zones_that_switch_at_midnight() {
    let policy = free(
        Some(FreeCancellation::OneDayBeforeArrival),
        Some(RefundableCharge::FiftyPercent),
        None,
    );
    // Havana skips 00:00–01:00 on 8 March 2026: the arrival day starts at 01:00 CDT.
    steps_at(
        &schedule(policy, "2026-03-08", Tz::America__Havana),
        "2026-03-08T05:00:00Z",
        "0.00",
        "500.00",
    );
    // Havana repeats 00:00–01:00 on 1 November 2026: the earlier midnight counts.
    steps_at(
        &schedule(policy, "2026-11-01", Tz::America__Havana),
        "2026-11-01T04:00:00Z",
        "0.00",
        "500.00",
    );
    // Santiago skips 00:00–01:00 on 6 September 2026.
    steps_at(
        &schedule(policy, "2026-09-06", Tz::America__Santiago),
        "2026-09-06T04:00:00Z",
        "0.00",
        "500.00",
    );
}
