//! Whether a stay qualifies for a rate plan. Semantics of each rule are on the fields of
//! [`RatePlanRules`]; this file applies them and reports every failure.

use chrono::{Datelike, NaiveDate};

use super::RatePlanRules;
use crate::occupancy::RoomRequest;
use crate::stay::Stay;
use crate::unavailable::Unavailable;

impl RatePlanRules {
    /// Every rule of the plan that the stay, one room of `room` and a booking made on
    /// `booked_on` (property-local) break; empty when the plan accepts them.
    pub fn check(&self, stay: &Stay, room: &RoomRequest, booked_on: NaiveDate) -> Vec<Unavailable> {
        let mut reasons = Vec::new();
        if !self.enabled {
            reasons.push(Unavailable::RatePlanDisabled);
        }
        self.check_windows(stay, booked_on, &mut reasons);
        self.check_length_and_guests(stay, room, &mut reasons);
        self.check_days(stay, &mut reasons);
        reasons
    }

    fn check_windows(&self, stay: &Stay, booked_on: NaiveDate, reasons: &mut Vec<Unavailable>) {
        let (start, end) = (self.sell_start, self.sell_end);
        if !within(booked_on, start, end) {
            reasons.push(Unavailable::OutsideSellWindow {
                booked_on,
                start,
                end,
            });
        }
        let arrival = stay.arrival();
        let (start, end) = (self.stay_start, self.stay_end);
        if !within(arrival, start, end) {
            reasons.push(Unavailable::OutsideStayWindow {
                arrival,
                start,
                end,
            });
        }
        let days = (arrival - booked_on).num_days();
        if let Some(min) = self.min_advance_days.filter(|min| days < i64::from(*min)) {
            reasons.push(Unavailable::AdvanceTooShort { days, min });
        }
        if let Some(max) = self.max_advance_days.filter(|max| days > i64::from(*max)) {
            reasons.push(Unavailable::AdvanceTooLong { days, max });
        }
    }

    fn check_length_and_guests(
        &self,
        stay: &Stay,
        room: &RoomRequest,
        reasons: &mut Vec<Unavailable>,
    ) {
        let nights = stay.night_count();
        if let Some(min) = self.min_los.filter(|min| nights < *min) {
            reasons.push(Unavailable::PlanStayTooShort { nights, min });
        }
        if let Some(max) = self.max_los.filter(|max| nights > *max) {
            reasons.push(Unavailable::PlanStayTooLong { nights, max });
        }
        let guests = room.guests();
        if let Some(min) = self.min_total_occupancy.filter(|min| guests < *min) {
            reasons.push(Unavailable::PlanOccupancyTooLow { guests, min });
        }
        if let Some(max) = self.max_total_occupancy.filter(|max| guests > *max) {
            reasons.push(Unavailable::PlanOccupancyTooHigh { guests, max });
        }
        if let (Some(&age), Some(min_age)) = (room.child_ages.iter().min(), self.min_age)
            && age < min_age
        {
            reasons.push(Unavailable::ChildTooYoung { age, min_age });
        }
        if let (Some(&age), Some(max_age)) = (room.child_ages.iter().max(), self.max_age)
            && age > max_age
        {
            reasons.push(Unavailable::ChildTooOld { age, max_age });
        }
    }

    fn check_days(&self, stay: &Stay, reasons: &mut Vec<Unavailable>) {
        if let Some(days) = self.available_days {
            for date in stay.nights().filter(|night| !days.allows(night.weekday())) {
                reasons.push(Unavailable::DayNotAvailable { date });
            }
        }
        let arrival = stay.arrival();
        if self
            .arrival_days
            .is_some_and(|days| !days.allows(arrival.weekday()))
        {
            reasons.push(Unavailable::ArrivalDayNotAllowed { date: arrival });
        }
        let departure = stay.departure();
        if self
            .departure_days
            .is_some_and(|days| !days.allows(departure.weekday()))
        {
            reasons.push(Unavailable::DepartureDayNotAllowed { date: departure });
        }
        if let Some(days) = self.required_days.filter(|days| days.is_set())
            && !stay.nights().any(|night| days.allows(night.weekday()))
        {
            reasons.push(Unavailable::RequiredDayMissing);
        }
    }
}

fn within(date: NaiveDate, start: Option<NaiveDate>, end: Option<NaiveDate>) -> bool {
    start.is_none_or(|start| start <= date) && end.is_none_or(|end| date <= end)
}

#[cfg(test)]
mod tests {
    use chrono::Weekday::*;

    use super::*;
    use crate::rate_plan::DaysOfWeek;
    use crate::test_support::date;

    /// 2026-12-04 is a Friday: a Fri → Sun stay of two nights, booked on 2026-11-20.
    fn weekend() -> Stay {
        Stay::new(date("2026-12-04"), date("2026-12-06")).unwrap()
    }

    fn booked_on() -> NaiveDate {
        date("2026-11-20")
    }

    fn couple() -> RoomRequest {
        RoomRequest::new(2, vec![], 1).unwrap()
    }

    fn codes(plan: RatePlanRules, stay: &Stay, room: &RoomRequest) -> Vec<&'static str> {
        plan.check(stay, room, booked_on())
            .iter()
            .map(Unavailable::code)
            .collect()
    }

    /// Asserts `pass` accepts the weekend couple and `block` refuses it with exactly `code`.
    fn passes_then_blocks(pass: RatePlanRules, block: RatePlanRules, code: &str) {
        assert!(codes(pass, &weekend(), &couple()).is_empty());
        assert_eq!(codes(block, &weekend(), &couple()), [code]);
    }

    fn plan() -> RatePlanRules {
        RatePlanRules::unrestricted()
    }

    #[test]
    fn unrestricted_plan_accepts() {
        assert!(codes(plan(), &weekend(), &couple()).is_empty());
    }

    #[test]
    fn disabled_plan() {
        passes_then_blocks(
            plan(),
            RatePlanRules {
                enabled: false,
                ..plan()
            },
            "RATE_PLAN_DISABLED",
        );
    }

    #[test]
    fn sell_window_is_the_booking_date_inclusive() {
        let ending = |end| RatePlanRules {
            sell_start: Some(date("2026-11-01")),
            sell_end: Some(date(end)),
            ..plan()
        };
        passes_then_blocks(
            ending("2026-11-20"),
            ending("2026-11-19"),
            "OUTSIDE_SELL_WINDOW",
        );
        let starting = |start| RatePlanRules {
            sell_start: Some(date(start)),
            ..plan()
        };
        passes_then_blocks(
            starting("2026-11-20"),
            starting("2026-11-21"),
            "OUTSIDE_SELL_WINDOW",
        );
    }

    #[test]
    fn stay_window_is_the_arrival_date_inclusive() {
        // The stay runs to 12-06, past the window's end, yet arrives within it.
        let ending = |end| RatePlanRules {
            stay_end: Some(date(end)),
            ..plan()
        };
        passes_then_blocks(
            ending("2026-12-04"),
            ending("2026-12-03"),
            "OUTSIDE_STAY_WINDOW",
        );
        let starting = |start| RatePlanRules {
            stay_start: Some(date(start)),
            ..plan()
        };
        passes_then_blocks(
            starting("2026-12-04"),
            starting("2026-12-05"),
            "OUTSIDE_STAY_WINDOW",
        );
    }

    #[test]
    fn advance_days_are_arrival_minus_booking_date() {
        // Booked 14 days ahead.
        let min = |days| RatePlanRules {
            min_advance_days: Some(days),
            ..plan()
        };
        passes_then_blocks(min(14), min(15), "ADVANCE_BOOKING_TOO_SHORT");
        let max = |days| RatePlanRules {
            max_advance_days: Some(days),
            ..plan()
        };
        passes_then_blocks(max(14), max(13), "ADVANCE_BOOKING_TOO_LONG");
    }

    #[test]
    fn plan_length_of_stay() {
        let min = |n| RatePlanRules {
            min_los: Some(n),
            ..plan()
        };
        passes_then_blocks(min(2), min(3), "PLAN_MIN_LENGTH_OF_STAY");
        let max = |n| RatePlanRules {
            max_los: Some(n),
            ..plan()
        };
        passes_then_blocks(max(2), max(1), "PLAN_MAX_LENGTH_OF_STAY");
    }

    #[test]
    fn total_occupancy_counts_one_room() {
        let min = |n| RatePlanRules {
            min_total_occupancy: Some(n),
            ..plan()
        };
        passes_then_blocks(min(2), min(3), "PLAN_MIN_OCCUPANCY");
        let max = |n| RatePlanRules {
            max_total_occupancy: Some(n),
            ..plan()
        };
        passes_then_blocks(max(2), max(1), "PLAN_MAX_OCCUPANCY");
        // Two rooms of two guests are still two guests per room.
        let two_rooms = RoomRequest::new(2, vec![], 2).unwrap();
        assert!(codes(max(2), &weekend(), &two_rooms).is_empty());
        // Children count as guests.
        let family = RoomRequest::new(2, vec![4], 1).unwrap();
        assert_eq!(codes(max(2), &weekend(), &family), ["PLAN_MAX_OCCUPANCY"]);
    }

    #[test]
    fn ages_apply_to_children_only() {
        let adults_only = RatePlanRules {
            min_age: Some(18),
            ..plan()
        };
        assert!(codes(adults_only.clone(), &weekend(), &couple()).is_empty());
        let family = RoomRequest::new(2, vec![12, 3], 1).unwrap();
        let reasons = adults_only.check(&weekend(), &family, booked_on());
        assert_eq!(
            reasons,
            [Unavailable::ChildTooYoung {
                age: 3,
                min_age: 18
            }]
        );

        let young_family = RatePlanRules {
            max_age: Some(11),
            ..plan()
        };
        assert!(codes(young_family.clone(), &weekend(), &couple()).is_empty());
        let reasons = young_family.check(&weekend(), &family, booked_on());
        assert_eq!(
            reasons,
            [Unavailable::ChildTooOld {
                age: 12,
                max_age: 11
            }]
        );
        let fitting = RatePlanRules {
            min_age: Some(3),
            max_age: Some(12),
            ..plan()
        };
        assert!(codes(fitting, &weekend(), &family).is_empty());
    }

    #[test]
    fn available_days_cover_every_night_not_the_departure() {
        let days = |d: &[chrono::Weekday]| RatePlanRules {
            available_days: Some(DaysOfWeek::only(d)),
            ..plan()
        };
        passes_then_blocks(
            days(&[Fri, Sat]),
            days(&[Fri, Sun]),
            "DAY_OF_WEEK_NOT_AVAILABLE",
        );
        let reasons = days(&[Mon]).check(&weekend(), &couple(), booked_on());
        assert_eq!(
            reasons,
            [
                Unavailable::DayNotAvailable {
                    date: date("2026-12-04")
                },
                Unavailable::DayNotAvailable {
                    date: date("2026-12-05")
                }
            ]
        );
    }

    #[test]
    fn arrival_and_departure_days() {
        let arrive = |d| RatePlanRules {
            arrival_days: Some(DaysOfWeek::only(&[d])),
            ..plan()
        };
        passes_then_blocks(arrive(Fri), arrive(Sat), "ARRIVAL_DAY_NOT_ALLOWED");
        let depart = |d| RatePlanRules {
            departure_days: Some(DaysOfWeek::only(&[d])),
            ..plan()
        };
        passes_then_blocks(depart(Sun), depart(Sat), "DEPARTURE_DAY_NOT_ALLOWED");
    }

    #[test]
    fn required_days_need_one_night_on_a_flagged_day() {
        let require = |d: &[chrono::Weekday]| RatePlanRules {
            required_days: Some(DaysOfWeek::only(d)),
            ..plan()
        };
        passes_then_blocks(require(&[Sat]), require(&[Sun]), "REQUIRED_DAY_MISSING");
        assert!(codes(require(&[Sun, Fri]), &weekend(), &couple()).is_empty());
    }

    #[test]
    fn unset_day_patterns_restrict_nothing() {
        let empty = Some(DaysOfWeek::default());
        let plan = RatePlanRules {
            available_days: empty,
            arrival_days: empty,
            departure_days: empty,
            required_days: empty,
            ..plan()
        };
        assert!(codes(plan, &weekend(), &couple()).is_empty());
    }
}
