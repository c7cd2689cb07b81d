use super::*;
use crate::test_support::date;

#[test]
fn messages_name_the_date_and_limit() {
    let d = date("2026-12-01");
    assert_eq!(
        Unavailable::ClosedToArrival { date: d }.to_string(),
        "closed to arrival on 2026-12-01"
    );
    assert_eq!(
        Unavailable::MinStayFromArrival {
            date: d,
            min: 3,
            nights: 2
        }
        .to_string(),
        "minimum stay 3 nights from 2026-12-01, requested 2"
    );
    assert_eq!(
        Unavailable::NotEnoughUnits {
            date: d,
            available: 1,
            requested: 2
        }
        .to_string(),
        "only 1 rooms left on 2026-12-01, requested 2"
    );
    assert_eq!(
        Unavailable::DayNotAvailable { date: d }.to_string(),
        "rate plan is not available on Tuesday 2026-12-01"
    );
    let window = Unavailable::OutsideSellWindow {
        booked_on: d,
        start: Some(date("2026-01-01")),
        end: None,
    };
    assert_eq!(
        window.to_string(),
        "booking on 2026-12-01 is outside the sell window (from 2026-01-01)"
    );
}

#[test]
fn codes_are_distinct() {
    let d = date("2026-12-01");
    let all = [
        Unavailable::RoomNotSellable,
        Unavailable::MasterRateDisabled,
        Unavailable::SalesChannelDisabled,
        Unavailable::SalesChannelBlacklisted,
        Unavailable::RatePlanDisabled,
        Unavailable::ArrivalInPast {
            arrival: d,
            booked_on: d,
        },
        Unavailable::OutsideSellWindow {
            booked_on: d,
            start: None,
            end: None,
        },
        Unavailable::OutsideStayWindow {
            arrival: d,
            start: None,
            end: None,
        },
        Unavailable::AdvanceTooShort { days: 0, min: 1 },
        Unavailable::AdvanceTooLong { days: 9, max: 1 },
        Unavailable::PlanStayTooShort { nights: 1, min: 2 },
        Unavailable::PlanStayTooLong { nights: 3, max: 2 },
        Unavailable::PlanOccupancyTooLow { guests: 1, min: 2 },
        Unavailable::PlanOccupancyTooHigh { guests: 3, max: 2 },
        Unavailable::ChildTooYoung { age: 1, min_age: 2 },
        Unavailable::ChildTooOld { age: 3, max_age: 2 },
        Unavailable::TooManyAdults { adults: 3, max: 2 },
        Unavailable::TooManyChildren {
            children: 3,
            max: 2,
        },
        Unavailable::TooManyGuests { guests: 3, max: 2 },
        Unavailable::BelowRoomMinOccupancy { guests: 1, min: 2 },
        Unavailable::DayNotAvailable { date: d },
        Unavailable::ArrivalDayNotAllowed { date: d },
        Unavailable::DepartureDayNotAllowed { date: d },
        Unavailable::RequiredDayMissing,
        Unavailable::NoRate { date: d },
        Unavailable::StopSell { date: d },
        Unavailable::ClosedToArrival { date: d },
        Unavailable::ClosedToDeparture { date: d },
        Unavailable::MinStayFromArrival {
            date: d,
            min: 2,
            nights: 1,
        },
        Unavailable::MaxStayFromArrival {
            date: d,
            max: 2,
            nights: 3,
        },
        Unavailable::NotEnoughUnits {
            date: d,
            available: 0,
            requested: 1,
        },
        Unavailable::PriceOutOfRange,
    ];
    let codes: std::collections::HashSet<_> = all.iter().map(Unavailable::code).collect();
    assert_eq!(codes.len(), all.len());
    for reason in &all {
        assert!(!reason.to_string().is_empty());
    }
}
