//! Offers of `sandbox/room/list` rule by rule: every rate-plan rule and daily restriction once
//! offered and once blocked (with the exact reason and where it is reported), every promotion
//! qualifier once applied and once not (with the reason the answer gives), how promotions
//! combine, and a promoted offer booked in another currency.

use axum::http::StatusCode;
use chrono::{Datelike, NaiveDate, Weekday};
use serde_json::{Value, json};

use crate::bookings::{Shop, day, reasons, today};
use crate::cancellation_policies::create;
use crate::fixtures;
use crate::fx::{RATES, load_rates, money};
use crate::on_both_engines;
use crate::support::TestApp;

/// A stay to ask for: arrival and departure as days from today, guests, rooms, booking date.
#[derive(Clone, Copy)]
struct Ask {
    from: u64,
    to: u64,
    adults: u32,
    child: Option<u32>,
    rooms: u32,
    booked: Option<u64>,
}

const fn ask(from: u64, to: u64) -> Ask {
    Ask {
        from,
        to,
        adults: 2,
        child: None,
        rooms: 1,
        booked: None,
    }
}

impl Ask {
    const fn adults(self, adults: u32) -> Ask {
        Ask { adults, ..self }
    }
    const fn child(self, age: u32) -> Ask {
        Ask {
            child: Some(age),
            ..self
        }
    }
    const fn rooms(self, rooms: u32) -> Ask {
        Ask { rooms, ..self }
    }
    const fn booked(self, days: u64) -> Ask {
        Ask {
            booked: Some(days),
            ..self
        }
    }

    /// What the shop charges one room for this stay: 2000 THB a night with two adults, 80 % of
    /// it for one adult alone, 500 THB a night for each adult beyond two (a child of the cases
    /// is within the room's occupancy and costs nothing), and the 50 THB city tax once.
    fn price(&self) -> f64 {
        let night = match self.adults {
            1 => 1600.0,
            a => 2000.0 + 500.0 * f64::from(a.saturating_sub(2)),
        };
        night * (self.to - self.from) as f64 + 50.0
    }

    fn query(&self, s: &Shop) -> Value {
        let mut q = s.query(day(self.from), day(self.to), self.adults);
        q["roomConfigurations"][0]["quantity"] = json!(self.rooms);
        if let Some(age) = self.child {
            q["roomConfigurations"][0]["children"] = json!([{ "age": age, "quantity": 1 }]);
        }
        if let Some(booked) = self.booked {
            q["bookingDate"] = json!(day(booked));
        }
        q
    }
}

/// The contract's day-of-week key of a date.
fn dow(date: NaiveDate) -> &'static str {
    match date.weekday() {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

/// A day-of-week pattern with only the weekday of `day(offset)` set (or every day but it).
fn only(offset: u64, set: bool) -> Value {
    let mut days = json!({});
    for key in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] {
        days[key] = json!(!set);
    }
    days[dow(day(offset))] = json!(set);
    days
}

/// What a case changes before asking.
enum Change {
    /// Fields merged into the rate plan (PUT rate-plan/{id}).
    Plan(Value),
    /// A bulk daily-rate change of the master rate over `day(from) ..= day(to)`.
    Rates(u64, u64, Value),
    /// The master rate switched off.
    MasterRateOff,
}

struct Case {
    name: &'static str,
    change: Change,
    /// Offered: after the change, or before it for a switch (`offered_before`).
    offered: Ask,
    offered_before: bool,
    blocked: Ask,
    /// Where the reasons are reported.
    list: &'static str,
    reasons: Vec<String>,
    codes: &'static str,
}

async fn apply(app: &TestApp, s: &Shop, change: &Change) {
    match change {
        Change::Plan(fields) => {
            let mut body = fixtures::rate_plan("Flexible", &s.policy);
            body.as_object_mut()
                .unwrap()
                .extend(fields.as_object().unwrap().clone());
            let r = app
                .put(
                    &format!("{}/rate-plan/{}", s.root(), s.plan),
                    &s.p.token,
                    &body,
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.json);
        }
        Change::Rates(from, to, fields) => s.rates(app, day(*from), day(*to), fields.clone()).await,
        Change::MasterRateOff => {
            let r = app
                .patch(
                    &format!("{}/master-rate/{}/toggle", s.root(), s.master),
                    &s.p.token,
                    &json!({ "enabled": false }),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.json);
        }
    }
}

async fn assert_offered(app: &TestApp, s: &Shop, ask: Ask, name: &str) {
    let r = s.room_list(app, &ask.query(s)).await;
    assert_eq!(r.status, StatusCode::OK, "{name}: {}", r.json);
    let room = &r.json[0];
    let offers = room["accessibleAvailability"][0]["priceConfigurations"]
        .as_array()
        .unwrap_or_else(|| panic!("{name}: not offered: {room}"));
    assert_eq!(offers.len(), 1, "{name}");
    assert_eq!(
        offers[0]["sourceTotal"],
        json!({ "amount": ask.price(), "currency": "THB" }),
        "{name}: the price of {} nights",
        ask.to - ask.from
    );
    for list in [
        "inaccessibleRatePlans",
        "inaccessibleMasterRates",
        "inaccessibleAvailability",
    ] {
        assert!(room.get(list).is_none(), "{name}: {list}: {}", room[list]);
    }
}

fn d(offset: u64) -> NaiveDate {
    day(offset)
}

fn weekday(offset: u64) -> String {
    d(offset).format("%A").to_string()
}

fn cases() -> Vec<Case> {
    let plans = "inaccessibleRatePlans";
    let calendar = "inaccessibleAvailability";
    let case = |name, change, offered, blocked, list, reason: String, codes| Case {
        name,
        change,
        offered,
        offered_before: false,
        blocked,
        list,
        reasons: vec![reason],
        codes,
    };
    vec![
        case(
            "sell window",
            Change::Plan(json!({ "sellStartDate": today(), "sellEndDate": d(5) })),
            ask(10, 12),
            ask(10, 12).booked(6),
            plans,
            format!(
                "booking on {} is outside the sell window ({} to {})",
                d(6),
                today(),
                d(5)
            ),
            "OUTSIDE_SELL_WINDOW",
        ),
        case(
            "stay window",
            Change::Plan(json!({ "stayStartDate": d(5), "stayEndDate": d(8) })),
            ask(6, 8),
            ask(10, 12),
            plans,
            format!(
                "arrival {} is outside the stay window ({} to {})",
                d(10),
                d(5),
                d(8)
            ),
            "OUTSIDE_STAY_WINDOW",
        ),
        case(
            "minimum advance",
            Change::Plan(json!({ "minAdvanceBookingOffset": 5 })),
            ask(6, 8),
            ask(3, 5),
            plans,
            "must book at least 5 days ahead, booked 3".into(),
            "ADVANCE_BOOKING_TOO_SHORT",
        ),
        case(
            "maximum advance",
            Change::Plan(json!({ "maxAdvanceBookingOffset": 5 })),
            ask(3, 5),
            ask(10, 12),
            plans,
            "can book at most 5 days ahead, booked 10".into(),
            "ADVANCE_BOOKING_TOO_LONG",
        ),
        case(
            "plan minimum stay",
            Change::Plan(json!({ "minLOS": 3 })),
            ask(10, 13),
            ask(10, 12),
            plans,
            "rate plan minimum stay 3 nights, requested 2".into(),
            "PLAN_MIN_LENGTH_OF_STAY",
        ),
        case(
            "plan maximum stay",
            Change::Plan(json!({ "maxLOS": 2 })),
            ask(10, 12),
            ask(10, 13),
            plans,
            "rate plan maximum stay 2 nights, requested 3".into(),
            "PLAN_MAX_LENGTH_OF_STAY",
        ),
        case(
            "plan minimum occupancy",
            Change::Plan(json!({ "minTotalOccupancy": 2 })),
            ask(10, 12),
            ask(10, 12).adults(1),
            plans,
            "rate plan needs at least 2 guests per room, requested 1".into(),
            "PLAN_MIN_OCCUPANCY",
        ),
        case(
            "plan maximum occupancy",
            Change::Plan(json!({ "maxTotalOccupancy": 2 })),
            ask(10, 12),
            ask(10, 12).adults(3),
            plans,
            "rate plan allows at most 2 guests per room, requested 3".into(),
            "PLAN_MAX_OCCUPANCY",
        ),
        case(
            "minimum age",
            Change::Plan(json!({ "minAge": 12 })),
            ask(10, 12).child(12),
            ask(10, 12).child(5),
            plans,
            "rate plan minimum age 12, a child is 5".into(),
            "CHILD_TOO_YOUNG",
        ),
        case(
            "maximum age",
            Change::Plan(json!({ "maxAge": 10 })),
            ask(10, 12).child(10),
            ask(10, 12).child(11),
            plans,
            "rate plan maximum age 10, a child is 11".into(),
            "CHILD_TOO_OLD",
        ),
        case(
            "available days",
            Change::Plan(json!({ "availableDaysOfWeek": only(11, false) })),
            ask(12, 14),
            ask(10, 12),
            plans,
            format!("rate plan is not available on {} {}", weekday(11), d(11)),
            "DAY_OF_WEEK_NOT_AVAILABLE",
        ),
        case(
            "arrival days",
            Change::Plan(json!({ "arrivalDaysOfWeek": only(10, true) })),
            ask(10, 12),
            ask(11, 13),
            plans,
            format!("arrival not allowed on {} {}", weekday(11), d(11)),
            "ARRIVAL_DAY_NOT_ALLOWED",
        ),
        case(
            "departure days",
            Change::Plan(json!({ "departureDaysOfWeek": only(12, true) })),
            ask(10, 12),
            ask(10, 11),
            plans,
            format!("departure not allowed on {} {}", weekday(11), d(11)),
            "DEPARTURE_DAY_NOT_ALLOWED",
        ),
        case(
            "required days",
            Change::Plan(json!({ "requiredDaysOfWeek": only(11, true) })),
            ask(10, 12),
            ask(12, 14),
            plans,
            "stay does not include a required day of the week".into(),
            "REQUIRED_DAY_MISSING",
        ),
        Case {
            offered_before: true,
            ..case(
                "rate plan disabled",
                Change::Plan(json!({ "enabled": false })),
                ask(10, 12),
                ask(10, 12),
                plans,
                "rate plan is disabled".into(),
                "RATE_PLAN_DISABLED",
            )
        },
        case(
            "closed to arrival",
            Change::Rates(3, 3, json!({ "closedOnArrival": true })),
            ask(2, 4),
            ask(3, 5),
            calendar,
            format!("closed to arrival on {}", d(3)),
            "CLOSED_TO_ARRIVAL",
        ),
        case(
            "closed to departure",
            Change::Rates(5, 5, json!({ "closedOnDeparture": true })),
            ask(3, 6),
            ask(3, 5),
            calendar,
            format!("closed to departure on {}", d(5)),
            "CLOSED_TO_DEPARTURE",
        ),
        case(
            "daily minimum stay",
            Change::Rates(5, 5, json!({ "minLengthOfStay": 3 })),
            ask(5, 8),
            ask(5, 7),
            calendar,
            format!("minimum stay 3 nights from {}, requested 2", d(5)),
            "MIN_LENGTH_OF_STAY",
        ),
        case(
            "daily maximum stay",
            Change::Rates(5, 5, json!({ "maxLengthOfStay": 2 })),
            ask(5, 7),
            ask(5, 8),
            calendar,
            format!("maximum stay 2 nights from {}, requested 3", d(5)),
            "MAX_LENGTH_OF_STAY",
        ),
        case(
            "no rooms left",
            Change::Rates(8, 8, json!({ "numberOfUnits": 0 })),
            ask(9, 11),
            ask(7, 9),
            calendar,
            format!("only 0 rooms left on {}, requested 1", d(8)),
            "NOT_ENOUGH_UNITS",
        ),
        case(
            "stop-sell",
            Change::Rates(8, 8, json!({ "master": false })),
            ask(9, 11),
            ask(7, 9),
            calendar,
            format!("closed for sale on {}", d(8)),
            "STOP_SELL",
        ),
        case(
            "no rate",
            Change::Rates(21, 21, json!({ "numberOfUnits": 3 })),
            ask(18, 20),
            ask(20, 22),
            calendar,
            format!("no rate set for {}", d(21)),
            "NO_RATE",
        ),
        Case {
            reasons: vec![
                "room takes at most 3 adults, requested 4".into(),
                "room takes at most 3 guests, requested 4".into(),
            ],
            ..case(
                "room occupancy",
                Change::Plan(json!({ "maxTotalOccupancy": 6 })),
                ask(10, 12).adults(3),
                ask(10, 12).adults(4),
                calendar,
                String::new(),
                "TOO_MANY_ADULTS,TOO_MANY_GUESTS",
            )
        },
        Case {
            offered_before: true,
            ..case(
                "master rate disabled",
                Change::MasterRateOff,
                ask(10, 12),
                ask(10, 12),
                "inaccessibleMasterRates",
                "master rate is disabled".into(),
                "MASTER_RATE_DISABLED",
            )
        },
    ]
}

/// Every rate-plan rule and daily restriction, once offered and once blocked.
async fn rules_and_restrictions_table(app: TestApp) {
    for case in cases() {
        let s = Shop::new(&app, 3).await;
        let name = case.name;
        if case.offered_before {
            assert_offered(&app, &s, case.offered, name).await;
        }
        apply(&app, &s, &case.change).await;
        if !case.offered_before {
            assert_offered(&app, &s, case.offered, name).await;
        }
        let r = s.room_list(&app, &case.blocked.query(&s)).await;
        assert_eq!(r.status, StatusCode::OK, "{name}: {}", r.json);
        let room = &r.json[0];
        assert_eq!(
            room["accessibleAvailability"][0]["available"], false,
            "{name}"
        );
        assert!(
            room["accessibleAvailability"][0]
                .get("priceConfigurations")
                .is_none(),
            "{name}"
        );
        assert!(room.get("accessibleRatePlans").is_none(), "{name}");
        assert_eq!(reasons(&room[case.list]), case.reasons, "{name}");
        let entries = room[case.list].as_array().unwrap();
        assert_eq!(entries.len(), 1, "{name}");
        assert_eq!(entries[0]["map"]["codes"], case.codes, "{name}");
        let expected_id = if case.list == "inaccessibleRatePlans" {
            &s.plan
        } else {
            &s.master
        };
        assert_eq!(entries[0]["identifier"], expected_id.as_str(), "{name}");
        for other in [
            "inaccessibleRatePlans",
            "inaccessibleMasterRates",
            "inaccessibleAvailability",
        ]
        .into_iter()
        .filter(|l| *l != case.list)
        {
            assert!(
                room.get(other).is_none(),
                "{name}: {other}: {}",
                room[other]
            );
        }
    }
}

/// A booker's side of a promotion case: the promotion's qualifiers, the stay and what the query
/// says about the booker.
struct Side {
    promotion: Value,
    ask: Ask,
    booker: Value,
}

struct PromotionCase {
    name: &'static str,
    applies: Side,
    /// Nights of the applying stay the promotion covers.
    covered: u32,
    fails: Side,
    code: &'static str,
    reason: String,
}

fn side(promotion: Value, ask: Ask, booker: Value) -> Side {
    Side {
        promotion,
        ask,
        booker,
    }
}

/// A 10 % per-night discount with `extra` fields (qualifiers).
fn ten_percent(name: &str, extra: &Value) -> Value {
    let mut body = json!({
        "name": name, "type": "DISCOUNT", "enabled": true, "pricingType": "PER_NIGHT",
        "modifier": { "type": "PERCENTAGE", "percent": 0.1 },
        "descriptions": [{ "description": format!("{name}: 10 % off"), "language": "en" }]
    });
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    body
}

fn berlin(geo_name_id: &str, city: &str) -> Value {
    json!({ "geoNameId": geo_name_id, "localeCode": "de", "continentCode": "EU", "continentName": "Europe",
            "countryIsoCode": "DE", "countryName": "Germany", "cityName": city, "timezone": "Europe/Berlin" })
}

fn promotion_cases() -> Vec<PromotionCase> {
    let none = json!({});
    let same = |name,
                q: Value,
                apply: Ask,
                apply_booker: Value,
                covered,
                fail: Ask,
                fail_booker: Value,
                code,
                reason: String| {
        PromotionCase {
            name,
            applies: side(q.clone(), apply, apply_booker),
            covered,
            fails: side(q, fail, fail_booker),
            code,
            reason,
        }
    };
    let period = |from: u64, to: u64| json!([{ "effectiveDate": d(from), "expireDate": d(to) }]);
    vec![
        same("promotion code", json!({ "promotionRateQualifiers": [{ "promotion": "SUMMER" }] }),
            ask(10, 12), json!({ "promotion": " summer " }), 2, ask(10, 12), none.clone(),
            "PROMOTION_CODE", "none of its promotion codes was entered (promotionRateQualifiers)".into()),
        same("continent", json!({ "continentRateQualifiers": [{ "continent": "EU" }] }),
            ask(10, 12), json!({ "continent": "Europe" }), 2, ask(10, 12), json!({ "continent": "AS" }),
            "CONTINENT", "the booker's continent is not one of its continents (continentRateQualifiers)".into()),
        same("country", json!({ "countryRateQualifiers": [{ "country": { "countryIsoCode": "DE" } }] }),
            ask(10, 12), json!({ "country": { "countryIsoCode": "DE" } }), 2, ask(10, 12), none.clone(),
            "COUNTRY", "the booker's country is not one of its countries (countryRateQualifiers)".into()),
        same("city", json!({ "cityRateQualifiers": [{ "city": berlin("2950159", "Berlin") }] }),
            ask(10, 12), json!({ "city": berlin("2950159", "Berlin") }), 2, ask(10, 12), json!({ "city": berlin("2867714", "Munich") }),
            "CITY", "the booker's city is not one of its cities (cityRateQualifiers)".into()),
        same("time zone", json!({ "timezoneRateQualifiers": [{ "timezone": "Europe/Berlin" }] }),
            ask(10, 12), json!({ "timezone": "Europe/Berlin" }), 2, ask(10, 12), json!({ "timezone": "Asia/Bangkok" }),
            "TIME_ZONE", "the booker's time zone is not one of its time zones (timezoneRateQualifiers)".into()),
        same("IP range", json!({ "ipRangeRateQualifiers": [{ "startIPRange": "203.0.113.0", "endIPRange": "203.0.113.255" }] }),
            ask(10, 12), json!({ "ipNumber": "203.0.113.7" }), 2, ask(10, 12), json!({ "ipNumber": "198.51.100.1" }),
            "IP_RANGE", "the booker's IP address is not in its IP ranges (ipRangeRateQualifiers)".into()),
        same("sell dates", json!({ "sellDateRateQualifiers": period(0, 2) }),
            ask(10, 12), none.clone(), 2, ask(10, 12).booked(3), none.clone(),
            "SELL_DATES", format!("booked on {}, outside its sell dates (sellDateRateQualifiers)", d(3))),
        same("stay dates", json!({ "stayDateRateQualifiers": period(10, 10) }),
            ask(10, 12), none.clone(), 1, ask(12, 14), none.clone(),
            "STAY_DATES", "no night of the stay is inside its stay dates (stayDateRateQualifiers)".into()),
        same("blackout dates", json!({ "blackoutDates": period(10, 10) }),
            ask(10, 12), none.clone(), 1, ask(10, 11), none.clone(),
            "BLACKOUT_DATES", "every night of the stay inside its stay dates is blacked out (blackoutDates)".into()),
        same("advance booking", json!({ "advanceBookingRateQualifier": { "minAdvanceBookingOffset": 5 } }),
            ask(10, 12), none.clone(), 2, ask(3, 5), none.clone(),
            "ADVANCE_BOOKING", "booked 3 days before arrival, outside its advance booking (advanceBookingRateQualifier)".into()),
        same("last minute", json!({ "lastMinuteRateQualifier": { "seconds": 172800 } }),
            ask(1, 3), none.clone(), 2, ask(10, 12), none.clone(),
            "LAST_MINUTE", "booked earlier than its last-minute window (lastMinuteRateQualifier)".into()),
        same("length of stay", json!({ "lengthOfStayRateQualifier": { "minLOS": 3, "maxLOS": 0 } }),
            ask(10, 13), none.clone(), 3, ask(10, 12), none.clone(),
            "LENGTH_OF_STAY", "a stay of 2 nights is outside its length of stay (lengthOfStayRateQualifier)".into()),
        same("available days", json!({ "availableDaysOfWeekRateQualifier": { "daysOfWeek": only(10, true) } }),
            ask(10, 12), none.clone(), 1, ask(11, 13), none.clone(),
            "AVAILABLE_DAYS", "no night of the stay falls on one of its available days (availableDaysOfWeekRateQualifier)".into()),
        same("arrival days", json!({ "arrivalDaysOfWeekRateQualifier": { "daysOfWeek": only(10, true) } }),
            ask(10, 12), none.clone(), 2, ask(11, 13), none.clone(),
            "ARRIVAL_DAYS", format!("arrival on a {} is not one of its arrival days (arrivalDaysOfWeekRateQualifier)", weekday(11))),
        same("departure days", json!({ "departureDaysOfWeekRateQualifier": { "daysOfWeek": only(12, true) } }),
            ask(10, 12), none.clone(), 2, ask(10, 11), none.clone(),
            "DEPARTURE_DAYS", format!("departure on a {} is not one of its departure days (departureDaysOfWeekRateQualifier)", weekday(11))),
        same("required days", json!({ "requiredDaysOfWeekRateQualifier": { "daysOfWeek": only(11, true) } }),
            ask(10, 12), none.clone(), 2, ask(12, 14), none.clone(),
            "REQUIRED_DAYS", "no night of the stay falls on one of its required days (requiredDaysOfWeekRateQualifier)".into()),
        same("room range", json!({ "roomRangeRateQualifier": { "minRooms": 2 } }),
            ask(10, 12).rooms(2), none.clone(), 2, ask(10, 12), none.clone(),
            "ROOM_RANGE", "1 room(s) booked, outside its room range (roomRangeRateQualifier)".into()),
        PromotionCase {
            name: "prepay",
            applies: side(json!({ "prepayRateQualifier": { "prepay": false } }), ask(10, 12), none.clone()),
            covered: 2,
            fails: side(json!({ "prepayRateQualifier": { "prepay": true } }), ask(10, 12), none.clone()),
            code: "PREPAY",
            reason: "the rate plan is paid at the property; it is for prepaid plans (prepayRateQualifier)".into(),
        },
        PromotionCase {
            name: "refundable",
            applies: side(json!({ "refundableRateQualifier": { "refundable": true } }), ask(10, 12), none.clone()),
            covered: 2,
            fails: side(json!({ "refundableRateQualifier": { "refundable": false } }), ask(10, 12), none.clone()),
            code: "REFUNDABLE",
            reason: "the rate plan is refundable; it is for non-refundable plans (refundableRateQualifier)".into(),
        },
        PromotionCase {
            name: "pricing type",
            applies: side(json!({ "pricingType": "PER_NIGHT" }), ask(10, 12), none.clone()),
            covered: 2,
            fails: side(json!({ "pricingType": "PER_HOUR" }), ask(10, 12), none),
            code: "HOURLY_PRICING",
            reason: "an hourly pricing type never prices room nights (pricingType)".into(),
        },
    ]
}

/// Posts a promotion and answers its id.
async fn promotion(app: &TestApp, s: &Shop, body: &Value) -> String {
    create(app, &format!("{}/promotion", s.root()), &s.p.token, body).await
}

async fn remove_promotion(app: &TestApp, s: &Shop, id: &str) {
    let one = format!("{}/promotion/{id}", s.root());
    let r = app.delete(&one, &s.p.token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    app.get(&one, &s.p.token)
        .await
        .problem(StatusCode::NOT_FOUND);
}

fn with_booker(mut query: Value, booker: &Value) -> Value {
    query
        .as_object_mut()
        .unwrap()
        .extend(booker.as_object().unwrap().clone());
    query
}

/// Every promotion qualifier, once applied (prices asserted) and once not (with the reason).
async fn promotion_qualifiers_table(app: TestApp) {
    let s = Shop::new(&app, 3).await;
    for case in promotion_cases() {
        let name = case.name;
        // Applies: 10 % off each covered night of 2000 THB, the 50 THB tax untouched.
        let id = promotion(&app, &s, &ten_percent(name, &case.applies.promotion)).await;
        let a = case.applies.ask;
        let query = with_booker(a.query(&s), &case.applies.booker);
        let r = s.room_list(&app, &query).await;
        assert_eq!(r.status, StatusCode::OK, "{name}: {}", r.json);
        let room = &r.json[0];
        let offer = &room["accessibleAvailability"][0]["priceConfigurations"][0];
        let nights = (a.to - a.from) as u32;
        let total = (2000 * nights - 200 * case.covered + 50) * a.rooms;
        assert_eq!(
            offer["sourceTotal"],
            money(f64::from(total), "THB"),
            "{name}: {offer}"
        );
        assert_eq!(
            offer["price"]["sourcePromotionalModifier"],
            json!(-f64::from(200 * case.covered * a.rooms)),
            "{name}"
        );
        assert_eq!(
            offer["price"]["offerDetails"],
            json!([{ "description": format!("{name}: 10 % off"), "language": "en" }]),
            "{name}"
        );
        assert!(
            room.get("inaccessibleRatePlans").is_none(),
            "{name}: {room}"
        );
        remove_promotion(&app, &s, &id).await;

        // Does not apply: the list price, and why under the promotion.
        let id = promotion(&app, &s, &ten_percent(name, &case.fails.promotion)).await;
        let f = case.fails.ask;
        let query = with_booker(f.query(&s), &case.fails.booker);
        let r = s.room_list(&app, &query).await;
        assert_eq!(r.status, StatusCode::OK, "{name}: {}", r.json);
        let room = &r.json[0];
        let offer = &room["accessibleAvailability"][0]["priceConfigurations"][0];
        let nights = (f.to - f.from) as u32;
        assert_eq!(
            offer["sourceTotal"],
            money(f64::from((2000 * nights + 50) * f.rooms), "THB"),
            "{name}: {offer}"
        );
        assert!(
            offer["price"].get("sourcePromotionalModifier").is_none(),
            "{name}"
        );
        assert_eq!(
            room["inaccessibleRatePlans"],
            json!([{ "identifier": id, "name": name, "reasons": [case.reason],
                     "map": { "kind": "PROMOTION", "promotionIdentifier": id,
                              "ratePlanIdentifiers": s.plan, "codes": case.code } }]),
            "{name}"
        );
        remove_promotion(&app, &s, &id).await;
    }
}

/// Promotions for some rate plans or master rates only; a disabled one never shows.
async fn promotions_by_product(app: TestApp) {
    let s = Shop::new(&app, 3).await;
    let root = s.root();
    let saver = create(
        &app,
        &format!("{root}/rate-plan"),
        &s.p.token,
        &fixtures::rate_plan("Saver", &s.policy),
    )
    .await;
    let masters = app
        .get(&format!("{root}/master-rate/list"), &s.p.token)
        .await;
    let saver_master = masters
        .json
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["ratePlan"]["identifier"] == saver.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .put(
            &format!("{root}/master-rate/{saver_master}/rate/bulk"),
            &s.p.token,
            &json!({ "startDate": day(1), "endDate": day(20), "rateSource": "TRAVELIKO", "master": true,
                     "closedOnArrival": false, "closedOnDeparture": false,
                     "rate": { "amount": 1900, "currency": "THB" } }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let list = |body: Value| {
        let (app, s) = (&app, &s);
        async move {
            let id = promotion(app, s, &body).await;
            let r = s.room_list(app, &s.query(day(10), day(12), 2)).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.json);
            remove_promotion(app, s, &id).await;
            (id, r.json[0].clone())
        }
    };
    let totals = |room: &Value| -> Vec<Value> {
        room["accessibleAvailability"][0]["priceConfigurations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["sourceTotal"]["amount"].clone())
            .collect()
    };
    // Saver only: Flexible at 2 × 2000 + 50, Saver at 2 × 1710 + 50.
    let (id, room) = list(ten_percent(
        "Saver deal",
        &json!({ "ratePlanIdentifiers": [saver] }),
    ))
    .await;
    assert_eq!(totals(&room), [json!(4050.0), json!(3470.0)]);
    assert_eq!(
        room["inaccessibleRatePlans"],
        json!([{ "identifier": id, "name": "Saver deal",
                 "reasons": ["not for this rate plan (ratePlanIdentifiers)"],
                 "map": { "kind": "PROMOTION", "promotionIdentifier": id,
                          "ratePlanIdentifiers": s.plan, "codes": "RATE_PLAN" } }])
    );
    // Flexible's master rate only.
    let (id, room) = list(ten_percent(
        "Flexible deal",
        &json!({ "masterRateIdentifiers": [s.master] }),
    ))
    .await;
    assert_eq!(totals(&room), [json!(3650.0), json!(3850.0)]);
    assert_eq!(
        room["inaccessibleRatePlans"][0]["reasons"],
        json!(["not for this room type and rate plan (masterRateIdentifiers)"])
    );
    assert_eq!(room["inaccessibleRatePlans"][0]["identifier"], id.as_str());
    assert_eq!(
        room["inaccessibleRatePlans"][0]["map"]["ratePlanIdentifiers"],
        saver.as_str()
    );
    // Disabled: nothing applies and nothing is reported.
    let mut disabled = ten_percent("Switched off", &json!({}));
    disabled["enabled"] = json!(false);
    let (_, room) = list(disabled).await;
    assert_eq!(totals(&room), [json!(4050.0), json!(3850.0)]);
    assert!(room.get("inaccessibleRatePlans").is_none(), "{room}");
}

/// Premiums add up, discounts do not stack (the one taking most off wins, the others are
/// reported), a bundle combines its discounts; the promoted offer booked in USD keeps the
/// quote's figures in every currency.
async fn stacking_and_a_promoted_booking_in_another_currency(app: TestApp) {
    load_rates(&app, RATES).await;
    let s = Shop::new(&app, 3).await;
    let (a, dd) = (day(10), day(12));
    let sea_view = promotion(
        &app,
        &s,
        &json!({ "name": "Sea view", "type": "PREMIUM", "enabled": true, "pricingType": "PER_NIGHT",
                 "modifier": { "type": "FIXED", "fixedAmount": { "amount": 100, "currency": "THB" } },
                 "descriptions": [{ "description": "A room facing the sea", "language": "en" }] }),
    )
    .await;
    let nightly = promotion(
        &app,
        &s,
        &ten_percent(
            "Member code",
            &json!({ "promotionRateQualifiers": [{ "promotion": "MEMBER" }] }),
        ),
    )
    .await;
    let stay_deal = promotion(
        &app,
        &s,
        &json!({ "name": "Stay deal", "type": "DISCOUNT", "enabled": true, "pricingType": "PER_STAY",
                 "modifier": { "type": "FIXED", "fixedAmount": { "amount": 500, "currency": "THB" } },
                 "descriptions": [{ "description": "500 THB off the stay", "language": "en" }] }),
    )
    .await;
    let mut query = s.query(a, dd, 2);
    query["promotion"] = json!("member");
    query["currency"] = json!("USD");
    let r = s.room_list(&app, &query).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let room = &r.json[0];
    let offer = &room["accessibleAvailability"][0]["priceConfigurations"][0];
    // Nights 2000 + 100 premium; the stay deal (500) beats 10 % of the list price (2 × 200).
    assert_eq!(offer["sourceTotal"], money(3750.0, "THB"));
    let price = &offer["price"];
    assert_eq!(price["sourceTotal"], money(3700.0, "THB"));
    assert_eq!(price["sourcePremiumModifier"], 200.0);
    assert_eq!(price["sourcePromotionalModifier"], -500.0);
    assert_eq!(price["promotionalDiscountPercent"], 11.9);
    assert_eq!(price["premiumPercent"], 5.0);
    assert_eq!(price["totalDiscountPercent"], 11.9);
    assert!(price.get("promotionalCodes").is_none(), "{price}");
    assert_eq!(
        price["offerDetails"],
        json!([{ "description": "A room facing the sea", "language": "en" },
               { "description": "500 THB off the stay", "language": "en" }])
    );
    let night = &price["list"][0];
    assert_eq!(night["sourceRate"], money(2100.0, "THB"));
    assert_eq!(night["sourcePremiumModifier"], 100.0);
    assert_eq!(night["premiumPercent"], 5.0);
    assert!(night.get("sourcePromotionalModifier").is_none());
    assert_eq!(night["hasModification"], true);
    // USD: each line converted (2100 → 61.17, 500 → 14.56, 50 → 1.46), totals summed.
    assert_eq!(night["userSpecifiedCurrencyRate"], money(61.17, "USD"));
    assert_eq!(price["userSpecifiedCurrencyPromotionalModifier"], -14.56);
    assert_eq!(price["userSpecifiedCurrencyTotal"], money(107.78, "USD"));
    assert_eq!(offer["userSpecifiedCurrencyTotal"], money(109.24, "USD"));
    assert_eq!(
        room["inaccessibleRatePlans"],
        json!([{ "identifier": nightly, "name": "Member code",
                 "reasons": ["another discount takes more off this stay (discounts do not stack)"],
                 "map": { "kind": "PROMOTION", "promotionIdentifier": nightly,
                          "ratePlanIdentifiers": s.plan, "codes": "NOT_BEST_DISCOUNT" } }])
    );

    // A bundle of both discounts: 2 × 200 + 500 off, on top of the premium.
    let bundle = create(
        &app,
        &format!("{}/promotion-bundle", s.root()),
        &s.p.token,
        &fixtures::bundle("Member stay", &[&nightly, &stay_deal]),
    )
    .await;
    let r = s.room_list(&app, &query).await;
    let room = &r.json[0];
    let offer = room["accessibleAvailability"][0]["priceConfigurations"][0].clone();
    assert_eq!(offer["sourceTotal"], money(3350.0, "THB"));
    let price = &offer["price"];
    assert_eq!(price["sourcePromotionalModifier"], -900.0);
    assert_eq!(price["promotionalCodes"], json!(["MEMBER"]));
    let night = &price["list"][1];
    assert_eq!(night["sourceRate"], money(1900.0, "THB"));
    assert_eq!(night["sourcePromotionalModifier"], -200.0);
    assert_eq!(night["isBundledModifier"], true);
    assert_eq!(night["promotion"], bundle.as_str());
    assert_eq!(
        night["offerDetails"],
        json!([{ "description": "A room facing the sea", "language": "en" },
               { "description": "Member code: 10 % off", "language": "en" },
               { "description": "500 THB off the stay", "language": "en" }])
    );
    let reported: Vec<(&str, &str)> = room["inaccessibleRatePlans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["identifier"].as_str().unwrap(),
                e["map"]["codes"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        reported,
        [
            (nightly.as_str(), "NOT_BEST_DISCOUNT"),
            (stay_deal.as_str(), "NOT_BEST_DISCOUNT")
        ]
    );
    assert!(!reported.iter().any(|(id, _)| *id == sea_view.as_str()));

    // Booked in USD: the booking's figures are the quote's in all three currencies.
    let request = s.booking_request(&query, &offer, ("Ann", "Lee", "ann@example.com"));
    let r = s.book(&app, &request).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let stay = &r.json["roomStay"];
    for key in ["sourceTotal", "internalTotal", "userSpecifiedCurrencyTotal"] {
        assert_eq!(stay[key], offer[key], "{key}");
    }
    for key in [
        "sourceTotal",
        "internalTotal",
        "userSpecifiedCurrencyTotal",
        "sourcePromotionalModifier",
        "internalPromotionalModifier",
        "userSpecifiedCurrencyPromotionalModifier",
        "sourcePremiumModifier",
        "userSpecifiedCurrencyPremiumModifier",
        "promotionalDiscountPercent",
        "promotionalCodes",
        "offerDetails",
        "sourceToUserCurrencyQuote",
        "sourceToInternalCurrencyQuote",
    ] {
        assert_eq!(stay["price"][key], offer["price"][key], "{key}");
    }
    for (k, night) in stay["price"]["list"].as_array().unwrap().iter().enumerate() {
        for key in ["sourceRate", "internalRate", "userSpecifiedCurrencyRate"] {
            assert_eq!(
                night[key], offer["price"]["list"][k][key],
                "night {k} {key}"
            );
        }
    }
    assert_eq!(r.json["userSession"]["promotionalCodes"], json!(["MEMBER"]));
    let money = &r.json["financialBreakdown"];
    assert_eq!(money["sourceAmount"], 3350.0);
    assert_eq!(
        (
            &money["sourceCurrency"],
            &money["internalCurrency"],
            &money["displayCurrency"]
        ),
        (
            &json!("THB"),
            &offer["internalTotal"]["currency"],
            &json!("USD")
        )
    );
    assert_eq!(money["internalAmount"], offer["internalTotal"]["amount"]);
    assert_eq!(
        money["displayAmount"],
        offer["userSpecifiedCurrencyTotal"]["amount"]
    );
    assert_eq!(
        money["netDisplayAmount"],
        offer["userSpecifiedCurrencyTotal"]["amount"]
    );
    assert_eq!(money["displayAmountRefundModifier"], 0.0);
    // Without the code the bundle and the nightly discount are gone: the price changed.
    let mut no_code = request.clone();
    no_code["query"]
        .as_object_mut()
        .unwrap()
        .remove("promotion");
    let r = s.book(&app, &no_code).await;
    r.problem(StatusCode::CONFLICT);
    assert_eq!(s.units(&app, a, day(11)).await, [2, 2]);
}

on_both_engines!(
    rules_and_restrictions_table,
    promotion_qualifiers_table,
    promotions_by_product,
    stacking_and_a_promoted_booking_in_another_currency
);
