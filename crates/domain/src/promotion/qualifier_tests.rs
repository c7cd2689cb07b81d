//! One case that passes and one that blocks for EACH qualifier: a 10 % per-night discount
//! on a Friday-to-Sunday stay at 100 a night (see `fixture::Scene`), booked 33 days ahead.

use std::net::IpAddr;

use chrono::Weekday::*;
use chrono_tz::Tz;

use super::fixture::*;
use super::*;
use crate::rate_plan::DaysOfWeek;
use crate::test_support::{date, dec};

/// The promotion with `pass` applied to it applies to both nights (90 + 90); with `block`
/// it applies to none (100 + 100), and `check` reports exactly `reason`.
fn passes_then_blocks(
    pass: impl FnOnce(&mut Promotion),
    block: impl FnOnce(&mut Promotion),
    reason: NotApplicable,
) {
    passes_then_blocks_in(Scene::new(&["100", "100"]), pass, block, reason);
}

fn passes_then_blocks_in(
    scene: Scene,
    pass: impl FnOnce(&mut Promotion),
    block: impl FnOnce(&mut Promotion),
    reason: NotApplicable,
) {
    let mut scene = scene.with(discount(1, percent("0.1")));
    pass(&mut scene.promotions[0]);
    assert_eq!(scene.applied(), [id(1)], "pass: {:?}", scene.check(0));
    assert_eq!(scene.night_prices(), [dec("90"), dec("90")]);
    assert_eq!(scene.room_total(), dec("180"));

    scene.promotions[0] = discount(1, percent("0.1"));
    block(&mut scene.promotions[0]);
    assert!(scene.applied().is_empty());
    assert_eq!(scene.night_prices(), [dec("100"), dec("100")]);
    assert_eq!(scene.room_total(), dec("200"));
    assert_eq!(scene.check(0), Err(vec![reason]));
}

fn period(from: &str, to: &str) -> Period {
    Period::new(date(from), date(to))
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

#[test]
fn unrestricted_promotion_applies_to_every_night() {
    passes_then_blocks(|_| {}, |p| p.enabled = false, NotApplicable::Disabled);
}

#[test]
fn stay_dates_cover_the_nights_inside_them() {
    passes_then_blocks(
        |p| {
            p.qualifiers.stay_dates = vec![
                period("2026-12-01", "2026-12-04"),
                period("2026-12-05", "2026-12-31"),
            ]
        },
        |p| p.qualifiers.stay_dates = vec![period("2026-12-06", "2026-12-31")],
        NotApplicable::StayDates,
    );
    // Only the Saturday night is inside: only it is discounted.
    let mut scene = Scene::new(&["100", "100"]).with(discount(1, percent("0.1")));
    scene.promotions[0].qualifiers.stay_dates = vec![period("2026-12-05", "2026-12-31")];
    assert_eq!(scene.check(0), Ok(vec![date("2026-12-05")]));
    assert_eq!(scene.night_prices(), [dec("100"), dec("90")]);
}

#[test]
fn sell_dates_hold_the_booking_date() {
    passes_then_blocks(
        |p| {
            p.qualifiers.sell_dates = vec![
                period("2026-10-01", "2026-10-02"),
                period("2026-11-01", "2026-11-01"),
            ]
        },
        |p| p.qualifiers.sell_dates = vec![period("2026-10-01", "2026-10-31")],
        NotApplicable::SellDates,
    );
}

#[test]
fn blackout_dates_remove_their_nights_only() {
    passes_then_blocks(
        |p| p.qualifiers.blackout_dates = vec![period("2026-12-06", "2026-12-31")],
        |p| p.qualifiers.blackout_dates = vec![period("2026-12-01", "2026-12-05")],
        NotApplicable::BlackoutDates,
    );
    let mut scene = Scene::new(&["100", "100"]).with(discount(1, percent("0.1")));
    scene.promotions[0].qualifiers.blackout_dates = vec![period("2026-12-04", "2026-12-04")];
    assert_eq!(scene.night_prices(), [dec("100"), dec("90")]);
    assert_eq!(scene.room_total(), dec("190"));
}

#[test]
fn advance_booking_counts_days_to_arrival_with_zero_as_no_limit() {
    let advance = |min_days, max_days| {
        move |p: &mut Promotion| {
            p.qualifiers.advance_booking = Some(AdvanceBooking { min_days, max_days })
        }
    };
    passes_then_blocks(
        advance(33, 0),
        advance(34, 0),
        NotApplicable::AdvanceBooking,
    );
    passes_then_blocks(
        advance(0, 33),
        advance(0, 32),
        NotApplicable::AdvanceBooking,
    );
}

#[test]
fn last_minute_counts_seconds_to_the_start_of_the_arrival_day() {
    // Arrival day starts at 2026-12-04 00:00 Paris = 2026-12-03T23:00Z; booked
    // 2026-11-01T10:00Z, 32 days and 13 hours before.
    let within =
        |seconds| move |p: &mut Promotion| p.qualifiers.last_minute_seconds = Some(seconds);
    passes_then_blocks(
        within(2_811_600),
        within(2_811_599),
        NotApplicable::LastMinute,
    );
}

#[test]
fn last_minute_uses_the_propertys_zone_and_takes_same_day_bookings() {
    let mut scene = Scene::new(&["100", "100"]).with(discount(1, percent("0.1")));
    scene.promotions[0].qualifiers.last_minute_seconds = Some(3_600);
    scene.booked_on = date("2026-12-03");
    // 23:30 Paris: 30 minutes before the arrival day starts.
    scene.booked_at = "2026-12-03T22:30:00Z".parse().unwrap();
    assert_eq!(scene.room_total(), dec("180"));
    // The same instant is 22:30 in London, 90 minutes before its midnight: too early there.
    scene.zone = Tz::Europe__London;
    assert_eq!(scene.check(0), Err(vec![NotApplicable::LastMinute]));
    // Booked on the arrival day itself, after its start.
    scene.zone = Tz::Europe__Paris;
    scene.booked_on = date("2026-12-04");
    scene.booked_at = "2026-12-04T15:00:00Z".parse().unwrap();
    assert_eq!(scene.room_total(), dec("180"));
}

#[test]
fn length_of_stay_in_nights_with_zero_as_no_limit() {
    let los = |min_los, max_los| {
        move |p: &mut Promotion| {
            p.qualifiers.length_of_stay = Some(LengthOfStay { min_los, max_los })
        }
    };
    passes_then_blocks(los(2, 0), los(3, 0), NotApplicable::LengthOfStay);
    passes_then_blocks(los(0, 2), los(0, 1), NotApplicable::LengthOfStay);
}

#[test]
fn available_days_cover_the_nights_on_them() {
    let days = |d: &'static [chrono::Weekday]| {
        move |p: &mut Promotion| p.qualifiers.available_days = Some(DaysOfWeek::only(d))
    };
    passes_then_blocks(
        days(&[Fri, Sat]),
        days(&[Sun, Mon]),
        NotApplicable::AvailableDays,
    );
    let mut scene = Scene::new(&["100", "100"]).with(discount(1, percent("0.1")));
    days(&[Sat])(&mut scene.promotions[0]);
    assert_eq!(scene.night_prices(), [dec("100"), dec("90")]);
}

#[test]
fn arrival_departure_and_required_days() {
    let arrive =
        |d| move |p: &mut Promotion| p.qualifiers.arrival_days = Some(DaysOfWeek::only(&[d]));
    passes_then_blocks(arrive(Fri), arrive(Sat), NotApplicable::ArrivalDays);
    let depart =
        |d| move |p: &mut Promotion| p.qualifiers.departure_days = Some(DaysOfWeek::only(&[d]));
    passes_then_blocks(depart(Sun), depart(Sat), NotApplicable::DepartureDays);
    let require =
        |d| move |p: &mut Promotion| p.qualifiers.required_days = Some(DaysOfWeek::only(&[d]));
    passes_then_blocks(require(Sat), require(Sun), NotApplicable::RequiredDays);
}

#[test]
fn room_range_counts_the_rooms_of_the_whole_booking() {
    let rooms = |min_rooms, max_rooms| {
        move |p: &mut Promotion| {
            p.qualifiers.room_range = Some(RoomRange {
                min_rooms,
                max_rooms,
            })
        }
    };
    passes_then_blocks(rooms(1, None), rooms(2, None), NotApplicable::RoomRange);
    let mut three_rooms = Scene::new(&["100", "100"]);
    three_rooms.rooms_in_booking = 3;
    passes_then_blocks_in(
        three_rooms,
        rooms(3, Some(0)),
        rooms(1, Some(2)),
        NotApplicable::RoomRange,
    );
    // Never fewer rooms than the quoted request's own quantity.
    let mut two_identical = Scene::new(&["100", "100"]).with(discount(1, percent("0.1")));
    two_identical.room.quantity = 2;
    two_identical.rooms_in_booking = 0;
    rooms(2, None)(&mut two_identical.promotions[0]);
    assert_eq!(two_identical.applied(), [id(1)]);
}

#[test]
fn prepay_and_refundable_follow_the_rate_plan() {
    // The plan is refundable and paid at the property.
    passes_then_blocks(
        |p| p.qualifiers.prepay = Some(false),
        |p| p.qualifiers.prepay = Some(true),
        NotApplicable::Prepay,
    );
    passes_then_blocks(
        |p| p.qualifiers.refundable = Some(true),
        |p| p.qualifiers.refundable = Some(false),
        NotApplicable::Refundable,
    );
    let mut prepaid = Scene::new(&["100", "100"]);
    prepaid.plan.prepaid = true;
    prepaid.plan.refundable = false;
    passes_then_blocks_in(
        prepaid,
        |p| {
            p.qualifiers.prepay = Some(true);
            p.qualifiers.refundable = Some(false);
        },
        |p| p.qualifiers.prepay = Some(false),
        NotApplicable::Prepay,
    );
}

#[test]
fn promotion_code_is_one_the_booker_entered() {
    passes_then_blocks(
        |p| p.qualifiers.promotion_codes = strings(&["WINTER", "summer"]),
        |p| p.qualifiers.promotion_codes = strings(&["WINTER"]),
        NotApplicable::PromotionCode,
    );
    let mut scene = Scene::new(&["100", "100"]).with(discount(1, percent("0.1")));
    scene.promotions[0].qualifiers.promotion_codes = strings(&["WINTER", "summer"]);
    assert_eq!(scene.quote().promotion_codes, ["summer"]);
    assert!(scene.quote_without_offers().promotion_codes.is_empty());
}

#[test]
fn continent_by_code_or_name() {
    passes_then_blocks(
        |p| p.qualifiers.continents = strings(&["Europe", "asia"]),
        |p| p.qualifiers.continents = strings(&["EU"]),
        NotApplicable::Continent,
    );
}

#[test]
fn country_by_iso_code() {
    passes_then_blocks(
        |p| p.qualifiers.countries = strings(&["th"]),
        |p| p.qualifiers.countries = strings(&["FR", "DE"]),
        NotApplicable::Country,
    );
}

#[test]
fn city_by_geonames_id_or_name_and_country() {
    let city = |id: &str, name: &str, country: &str| City {
        geo_name_id: id.into(),
        name: name.into(),
        country: country.into(),
    };
    let bangkok = city("1609350", "Bangkok", "TH");
    let same_name_elsewhere = city("9999", "Bangkok", "TH");
    passes_then_blocks(
        |p| p.qualifiers.cities = vec![bangkok.clone()],
        |p| p.qualifiers.cities = vec![same_name_elsewhere.clone()],
        NotApplicable::City,
    );
    let mut no_id = Scene::new(&["100", "100"]);
    no_id.booker.city_geo_name_id = None;
    passes_then_blocks_in(
        no_id,
        |p| p.qualifiers.cities = vec![same_name_elsewhere],
        |p| p.qualifiers.cities = vec![city("1609350", "Bangkok", "LA")],
        NotApplicable::City,
    );
}

#[test]
fn time_zone_by_iana_name() {
    passes_then_blocks(
        |p| p.qualifiers.time_zones = strings(&["Asia/Bangkok"]),
        |p| p.qualifiers.time_zones = strings(&["Europe/Paris"]),
        NotApplicable::TimeZone,
    );
}

#[test]
fn ip_ranges_inclusive_in_both_versions() {
    let range = |start: &str, end: &str| IpRange {
        start: ip(start),
        end: ip(end),
    };
    let v4_in = range("203.0.113.0", "203.0.113.7");
    let v4_out = range("203.0.113.8", "203.0.113.255");
    passes_then_blocks(
        |p| p.qualifiers.ip_ranges = vec![v4_out, v4_in],
        |p| p.qualifiers.ip_ranges = vec![v4_out],
        NotApplicable::IpRange,
    );
    let mut v6 = Scene::new(&["100", "100"]);
    v6.booker.ip = Some(ip("2001:db8::42"));
    passes_then_blocks_in(
        v6,
        |p| p.qualifiers.ip_ranges = vec![range("2001:db8::", "2001:db8::ffff")],
        |p| p.qualifiers.ip_ranges = vec![v4_in, range("2001:db8::43", "2001:db8::ffff")],
        NotApplicable::IpRange,
    );
}

#[test]
fn master_rate_and_rate_plan_lists() {
    passes_then_blocks(
        |p| p.master_rate_ids = vec![id(7), MASTER_RATE],
        |p| p.master_rate_ids = vec![id(7)],
        NotApplicable::MasterRate,
    );
    passes_then_blocks(
        |p| p.rate_plan_ids = vec![RATE_PLAN],
        |p| p.rate_plan_ids = vec![id(7)],
        NotApplicable::RatePlan,
    );
    // Add-on ids beside a room product do not restrict rooms; add-on ids alone make the
    // promotion an add-on deal that never prices room nights.
    passes_then_blocks(
        |p| {
            p.add_on_ids = vec![id(7)];
            p.rate_plan_ids = vec![RATE_PLAN];
        },
        |p| p.add_on_ids = vec![id(7)],
        NotApplicable::AddOnsOnly,
    );
}

#[test]
fn hourly_pricing_types_never_price_rooms() {
    for hourly in [
        PricingType::PerHour,
        PricingType::PerPersonPerHour,
        PricingType::PerAdultPerHour,
        PricingType::PerChildPerHour,
    ] {
        passes_then_blocks(
            |_| {},
            |p| p.pricing_type = hourly,
            NotApplicable::HourlyPricing,
        );
    }
}

#[test]
fn a_qualifier_the_booker_cannot_answer_blocks() {
    let mut scene = Scene::new(&["100", "100"]).with(discount(1, percent("0.1")));
    scene.booker = Booker::default();
    let q = &mut scene.promotions[0].qualifiers;
    q.promotion_codes = strings(&["SUMMER"]);
    q.continents = strings(&["AS"]);
    q.countries = strings(&["TH"]);
    q.time_zones = strings(&["Asia/Bangkok"]);
    q.ip_ranges = vec![IpRange {
        start: ip("0.0.0.0"),
        end: ip("255.255.255.255"),
    }];
    assert_eq!(
        scene.check(0),
        Err(vec![
            NotApplicable::PromotionCode,
            NotApplicable::Continent,
            NotApplicable::Country,
            NotApplicable::TimeZone,
            NotApplicable::IpRange,
        ])
    );
    assert_eq!(scene.room_total(), dec("200"));
}

#[test]
fn every_blocking_qualifier_is_reported_in_a_stable_order() {
    let mut scene = Scene::new(&["100", "100"]).with(discount(1, percent("0.1")));
    let p = &mut scene.promotions[0];
    p.enabled = false;
    p.rate_plan_ids = vec![id(7)];
    p.qualifiers.sell_dates = vec![period("2020-01-01", "2020-01-02")];
    p.qualifiers.length_of_stay = Some(LengthOfStay {
        min_los: 5,
        max_los: 0,
    });
    p.qualifiers.countries = strings(&["FR"]);
    p.qualifiers.stay_dates = vec![period("2020-01-01", "2020-01-02")];
    let reasons = scene.check(0).unwrap_err();
    assert_eq!(
        reasons,
        [
            NotApplicable::Disabled,
            NotApplicable::RatePlan,
            NotApplicable::SellDates,
            NotApplicable::LengthOfStay,
            NotApplicable::Country,
            NotApplicable::StayDates,
        ]
    );
    let fields: Vec<_> = reasons.iter().map(NotApplicable::field).collect();
    assert_eq!(
        fields,
        [
            "enabled",
            "ratePlanIdentifiers",
            "sellDateRateQualifiers",
            "lengthOfStayRateQualifier",
            "countryRateQualifiers",
            "stayDateRateQualifiers",
        ]
    );
}
