//! The server's date window (`ApiConfig::date_window_*`): every date a request names is within a
//! window around today at the property, and calendar answers hold only what was asked.

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use chrono::{Days, NaiveDate};
use serde_json::{Value, json};
use uuid::Uuid;
use wink_api::ApiConfig;
use wink_domain::DateWindow;
use wink_store::grid::GridQuery;

use crate::bookings::{Shop, today};
use crate::cancellation_policies::create;
use crate::fixtures;
use crate::on_both_engines;
use crate::support::TestApp;

/// The app with the server's default window, a shop, and that window at the shop's property.
async fn shop_with_default_window(app: TestApp) -> (TestApp, Shop, DateWindow) {
    let app = app.with_config(ApiConfig::default()).await;
    let s = Shop::new(&app, 1).await;
    let window = window_of(&app, &s).await;
    (app, s, window)
}

async fn window_of(app: &TestApp, s: &Shop) -> DateWindow {
    let property = app.store.property_ref(s.property).await.unwrap();
    app.state.date_window(&property)
}

fn before(d: NaiveDate) -> NaiveDate {
    d - Days::new(1)
}

fn after(d: NaiveDate) -> NaiveDate {
    d + Days::new(1)
}

/// Daily rates stored for the shop's master rate (never-set dates are not rows).
async fn stored(app: &TestApp, s: &Shop) -> u64 {
    let master: Uuid = s.master.parse().unwrap();
    let (_, total) = app
        .store
        .daily_rate_grid(s.property, master, &GridQuery::default(), 1, 0)
        .await
        .unwrap();
    total
}

/// A keyed `rate/update` item of the shop's master rate.
fn item(s: &Shop, date: impl serde::Serialize, value: Value) -> Value {
    json!({ "key": { "hotelIdentifier": s.property, "ratePlanIdentifier": s.plan,
                     "guestRoomIdentifier": s.room, "date": date },
            "value": value })
}

/// Asserts `r` is 200, or a 400 naming exactly `fields`.
fn answered(r: &crate::support::TestResponse, fields: &[&str]) {
    if fields.is_empty() {
        assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    } else {
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.json);
        assert_eq!(r.invalid_fields(), fields, "{}", r.json);
    }
}

/// The request: two items dated 0001-01-01 and 9999-12-31 are a 400 naming both, and
/// nothing is stored.
async fn far_dates_in_a_rate_update_are_refused(app: TestApp) {
    let (app, s, window) = shop_with_default_window(app).await;
    let rows = stored(&app, &s).await;
    let value = json!({ "rate": 1500, "currencyCode": "THB", "quantity": 3 });
    let items = json!([
        item(&s, "0001-01-01", value.clone()),
        item(&s, "9999-12-31", value)
    ]);
    let r = app
        .put(&format!("{}/rate/update", s.root()), &s.p.token, &items)
        .await;
    answered(&r, &["/0/key/date", "/1/key/date"]);
    let message = r.json["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("{} to {}", window.first(), window.last())),
        "{message}"
    );
    assert_eq!(stored(&app, &s).await, rows);
    let master: Uuid = s.master.parse().unwrap();
    let far = [
        (master, "0001-01-01".parse().unwrap()),
        (master, "9999-12-31".parse().unwrap()),
    ];
    let read = app.store.rates_at(s.property, &far).await.unwrap();
    assert!(read.iter().all(|r| r.rate.is_none()), "{read:?}");
}

/// Each kind of date: the window's first and last dates accepted, the day before and the day
/// after refused naming the field.
async fn window_edges_for_every_kind_of_date(app: TestApp) {
    let (app, s, w) = shop_with_default_window(app).await;
    let (first, last) = (w.first(), w.last());
    let token = &s.p.token;

    // Rates (bulk range).
    let bulk = format!("{}/master-rate/{}/rate/bulk", s.root(), s.master);
    let range = |start: NaiveDate, end: NaiveDate| {
        json!({ "startDate": start, "endDate": end, "rateSource": "TRAVELIKO", "master": true,
                "closedOnArrival": false, "closedOnDeparture": false,
                "rate": { "amount": 1000, "currency": "THB" } })
    };
    for (start, end, fields) in [
        (first, first, &[][..]),
        (last, last, &[][..]),
        (before(first), first, &["/startDate"][..]),
        (last, after(last), &["/endDate"][..]),
    ] {
        answered(&app.put(&bulk, token, &range(start, end)).await, fields);
    }

    // Restrictions (keyed update).
    let update = format!("{}/rate/update", s.root());
    let restriction = json!({ "closedOnArrival": true, "minLengthOfStay": 2 });
    for (date, fields) in [
        (first, &[][..]),
        (last, &[][..]),
        (before(first), &["/0/key/date"][..]),
        (after(last), &["/0/key/date"][..]),
    ] {
        let body = json!([item(&s, date, restriction.clone())]);
        answered(&app.put(&update, token, &body).await, fields);
    }

    // A promotion's stay-date qualifier.
    let promotions = format!("{}/promotion", s.root());
    let promotion = |effective: NaiveDate, expire: NaiveDate| {
        let mut body = fixtures::promotion("Window");
        body["stayDateRateQualifiers"] =
            json!([{ "effectiveDate": effective, "expireDate": expire }]);
        body
    };
    let created = |r: crate::support::TestResponse| {
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    };
    created(app.post(&promotions, token, &promotion(first, first)).await);
    created(app.post(&promotions, token, &promotion(last, last)).await);
    let r = app
        .post(&promotions, token, &promotion(before(first), first))
        .await;
    answered(&r, &["/stayDateRateQualifiers/0/effectiveDate"]);
    let r = app
        .post(&promotions, token, &promotion(last, after(last)))
        .await;
    answered(&r, &["/stayDateRateQualifiers/0/expireDate"]);

    // A stay (test availability).
    for (arrival, departure, fields) in [
        (first, after(first), &[][..]),
        (before(last), last, &[][..]),
        (before(first), first, &["/stayStartDate"][..]),
        (last, after(last), &["/stayEndDate"][..]),
    ] {
        let r = s.room_list(&app, &s.query(arrival, departure, 2)).await;
        answered(&r, fields);
    }

    // A grid filter (the master rate's daily rates) and a report filter (bookings).
    let grid = format!("{}/master-rate/{}/rate/grid", s.root(), s.master);
    let filter = |field: &str, date: NaiveDate| {
        json!({ "filter": { "logic": "and",
                            "filters": [{ "field": field, "operator": "gte", "value": date }] } })
    };
    let report = |date: NaiveDate| {
        crate::reports::request(
            &[("Code", "bookingCode")],
            filter("roomStay.startDate", date),
        )
    };
    let report_path = format!("{}/report/csv", s.root());
    for (date, inside) in [
        (first, true),
        (last, true),
        (before(first), false),
        (after(last), false),
    ] {
        let r = app.post(&grid, token, &filter("date", date)).await;
        let fields: &[&str] = if inside {
            &[]
        } else {
            &["/filter/filters/0/value"]
        };
        answered(&r, fields);
        let r = app.post(&report_path, token, &report(date)).await;
        let fields: &[&str] = if inside {
            &[]
        } else {
            &["/state/filter/filters/0/value"]
        };
        answered(&r, fields);
    }
}

/// The window comes from the configuration.
async fn the_window_is_configurable(app: TestApp) {
    let config = ApiConfig {
        date_window_past_days: 0,
        date_window_future_days: 30,
        ..ApiConfig::default()
    };
    let app = app.with_config(config).await;
    let s = Shop::new(&app, 1).await;
    let w = window_of(&app, &s).await;
    assert_eq!(w.last() - w.first(), chrono::Duration::days(30));
    assert!(w.contains(today()));
    let update = format!("{}/rate/update", s.root());
    let value = json!({ "rate": 1200, "currencyCode": "THB" });
    let r = app
        .put(
            &update,
            &s.p.token,
            &json!([item(&s, w.last(), value.clone())]),
        )
        .await;
    answered(&r, &[]);
    let r = app
        .put(
            &update,
            &s.p.token,
            &json!([item(&s, after(w.last()), value.clone())]),
        )
        .await;
    answered(&r, &["/0/key/date"]);
    let r = app
        .put(
            &update,
            &s.p.token,
            &json!([item(&s, before(w.first()), value)]),
        )
        .await;
    answered(&r, &["/0/key/date"]);
}

/// A rate update of two dates four years apart stores and answers those two dates only.
async fn far_apart_dates_touch_only_those_dates(app: TestApp) {
    let (app, s, w) = shop_with_default_window(app).await;
    let rows = stored(&app, &s).await;
    let value = json!({ "rate": 1750, "currencyCode": "THB", "quantity": 2 });
    let items = json!([
        item(&s, w.last(), value.clone()),
        item(&s, w.first(), value)
    ]);
    let r = app
        .put(&format!("{}/rate/update", s.root()), &s.p.token, &items)
        .await;
    answered(&r, &[]);
    let answered_days: Vec<(i64, i64, i64)> = r
        .json
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["year"].as_i64().unwrap(),
                r["month"].as_i64().unwrap(),
                r["day"].as_i64().unwrap(),
            )
        })
        .collect();
    let ymd = |d: NaiveDate| {
        use chrono::Datelike;
        (
            i64::from(d.year()),
            i64::from(d.month()),
            i64::from(d.day()),
        )
    };
    assert_eq!(answered_days, [ymd(w.last()), ymd(w.first())]);
    assert_eq!(stored(&app, &s).await, rows + 2);
}

/// Reading dates at the calendar's ends reads those dates, not the ~3.65 million between them
/// (which took seconds and hundreds of MB per master rate when the read built the calendar from
/// the smallest to the largest date).
async fn reading_far_apart_keys_reads_only_them(app: TestApp) {
    let s = Shop::new(&app, 1).await;
    let master: Uuid = s.master.parse().unwrap();
    let keys = [
        (master, "9999-12-31".parse().unwrap()),
        (master, "0001-01-01".parse().unwrap()),
        (master, "9999-12-31".parse().unwrap()),
    ];
    let started = Instant::now();
    let rows = app.store.rates_at(s.property, &keys).await.unwrap();
    let took = started.elapsed();
    assert_eq!(
        rows.iter().map(|r| r.day.to_string()).collect::<Vec<_>>(),
        ["9999-12-31", "0001-01-01"]
    );
    // Not a speed target (those are benchmarks): a guard with a margin of ~1000x. Reading
    // the calendar between the two dates (3.65 million days) took 64 s in a debug build; reading
    // the two dates takes milliseconds.
    assert!(
        took < Duration::from_secs(20),
        "took {took:?}: the calendar between the keys was read"
    );
}

/// `master-rate/rates/dates` answers at most 50,000 daily rates (master rates × days).
async fn hotel_rates_are_capped(app: TestApp) {
    let app = app.with_config(ApiConfig::default()).await;
    let s = Shop::new(&app, 1).await;
    let root = s.root();
    // 7 room types × 10 rate plans = 70 master rates.
    for i in 0..6 {
        create(
            &app,
            &format!("{root}/facility/room-type"),
            &s.p.token,
            &fixtures::room_type(&format!("Room {i}"), 1),
        )
        .await;
    }
    for i in 0..9 {
        create(
            &app,
            &format!("{root}/rate-plan"),
            &s.p.token,
            &fixtures::rate_plan(&format!("Plan {i}"), &s.policy),
        )
        .await;
    }
    let masters = app
        .get(&format!("{root}/master-rate/list"), &s.p.token)
        .await
        .json;
    assert_eq!(masters.as_array().unwrap().len(), 70);
    let path = format!("{root}/master-rate/rates/dates");
    let start = today();
    let body = |days: u64| json!({ "startDate": start, "endDate": start + Days::new(days - 1) });
    let r = app.post(&path, &s.p.token, &body(732)).await;
    answered(&r, &["/endDate"]);
    let message = r.json["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("at most 50000"), "{message}");
    assert!(message.contains("at most 714 days"), "{message}");
    let r = app.post(&path, &s.p.token, &body(714)).await;
    answered(&r, &[]);
    assert_eq!(r.json.as_array().unwrap().len(), 70 * 714);
}

on_both_engines!(
    far_dates_in_a_rate_update_are_refused,
    window_edges_for_every_kind_of_date,
    the_window_is_configurable,
    far_apart_dates_touch_only_those_dates,
    reading_far_apart_keys_reads_only_them,
    hotel_rates_are_capped,
);
