//! The sales overview, the booked-things lists and the analytics; and the story the issue asks
//! for: a booking and its cancellation show up in the grid, the overview, the lists, the report
//! and the analytics, which all read the same stored bookings.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::booking_grid::{book, cancel, codes, grid};
use crate::bookings::{Shop, day, today};
use crate::on_both_engines;
use crate::reports::{parse_csv, report, request};
use crate::support::TestApp;

async fn analytics(app: &TestApp, s: &Shop, body: Value) -> Value {
    let r = app
        .post(
            &format!("{}/booking/analytics", s.root()),
            &s.p.token,
            &body,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    r.json
}

async fn get(app: &TestApp, s: &Shop, path: &str) -> Value {
    let r = app.get(&format!("{}{path}", s.root()), &s.p.token).await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.json);
    r.json
}

/// The chart titled `title`.
fn chart<'a>(charts: &'a Value, title: &str) -> &'a Value {
    charts["charts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["title"]["text"] == title)
        .unwrap_or_else(|| panic!("no chart {title:?} in {charts}"))
}

/// The last point of every series of a chart, by series name.
fn last_points(chart: &Value) -> Vec<(String, f64)> {
    chart["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let data = s["data"].as_array().unwrap();
            (
                s["name"].as_str().unwrap().to_string(),
                data.last().unwrap().as_f64().unwrap(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, f64)]) -> Vec<(String, f64)> {
    list.iter().map(|(n, v)| (n.to_string(), *v)).collect()
}

async fn a_booking_and_its_cancellation_show_everywhere(app: TestApp) {
    let s = Shop::new(&app, 3).await;
    let days3 = json!({ "type": "DAY", "units": 3 });
    let report_body = request(
        &[
            ("Code", "bookingCode"),
            ("Cancelled", "cancelled"),
            ("Penalty", "metadata.cancellationPenalty.amount"),
        ],
        json!({ "sort": [{ "field": "createdDate", "dir": "asc" }] }),
    );

    // Nothing sold yet.
    assert_eq!(
        get(&app, &s, "/booking/overview").await,
        json!({ "type": "BY_PROPERTY", "typeName": "Test Hotel Bangkok", "typeIdentifier": s.property,
                "bookings": 0, "totalPriceAmount": 0.0, "averageBookingAmount": 0.0, "currencyCode": "THB" })
    );
    assert_eq!(get(&app, &s, "/booking/roomrate/list").await, json!([]));
    assert_eq!(get(&app, &s, "/booking/owner/list").await, json!([]));
    let a = analytics(&app, &s, days3.clone()).await;
    assert_eq!(a["charts"].as_array().unwrap().len(), 3, "{a}");
    assert_eq!(
        last_points(chart(&a, "Bookings")),
        pairs(&[("Bookings", 0.0), ("Cancellations", 0.0)])
    );
    assert_eq!(codes(&grid(&app, &s, json!({})).await).len(), 0);
    assert_eq!(
        parse_csv(&report(&app, &s, &report_body).await.bytes).len(),
        1
    );

    // Two bookings: Ann (2 nights, 4050) and Bob (3 nights, 6050).
    let ann = book(
        &app,
        &s,
        day(1),
        day(3),
        ("Ann", "Lee", "ann.lee@example.com"),
    )
    .await;
    let bob = book(&app, &s, day(2), day(5), ("Bob", "Berg", "bob@example.com")).await;
    let overview = get(&app, &s, "/booking/overview").await;
    assert_eq!(
        (
            &overview["bookings"],
            &overview["totalPriceAmount"],
            &overview["averageBookingAmount"]
        ),
        (&json!(2), &json!(10100.0), &json!(5050.0))
    );
    let rate_list = json!([{ "value": s.master, "label": "Deluxe - Flexible" }]);
    let owner_list = json!([{ "value": s.agent, "label": "Globetrotter Travel (TRAVEL_AGENT)" }]);
    assert_eq!(get(&app, &s, "/booking/roomrate/list").await, rate_list);
    assert_eq!(get(&app, &s, "/booking/owner/list").await, owner_list);
    let a = analytics(&app, &s, days3.clone()).await;
    assert_eq!(
        last_points(chart(&a, "Bookings")),
        pairs(&[("Bookings", 2.0), ("Cancellations", 0.0)])
    );
    assert_eq!(
        last_points(chart(&a, "Revenue (THB)")),
        pairs(&[("Revenue", 10100.0), ("Cancellation penalties", 0.0)])
    );
    assert_eq!(
        last_points(chart(&a, "Room nights")),
        pairs(&[("Room nights", 5.0)])
    );
    assert_eq!(
        last_points(chart(&a, "Bookings by channel")),
        pairs(&[("Globetrotter Travel", 2.0)])
    );
    assert_eq!(
        last_points(chart(&a, "Revenue by room type (THB)")),
        pairs(&[("Deluxe", 10100.0)])
    );
    let r = grid(&app, &s, json!({ "filter": { "filters": [{ "field": "cancelled", "operator": "eq", "value": false }] } })).await;
    assert_eq!(codes(&r).len(), 2);
    let rows = parse_csv(&report(&app, &s, &report_body).await.bytes);
    assert_eq!(
        rows[1..],
        [
            vec![
                ann["bookingCode"].as_str().unwrap().to_string(),
                "false".into(),
                String::new()
            ],
            vec![
                bob["bookingCode"].as_str().unwrap().to_string(),
                "false".into(),
                String::new()
            ],
        ]
    );

    // Ann cancels, inside the policy's window: the property keeps a penalty.
    let cancelled = cancel(&app, &s, &ann).await;
    // Arriving tomorrow, inside the 2-day window: 50 % of 4050.
    let penalty = 2025.0;
    assert_eq!(
        cancelled["metadata"]["cancellationPenalty"],
        json!({ "amount": penalty, "currency": "THB" }),
        "{cancelled}"
    );
    let overview = get(&app, &s, "/booking/overview").await;
    assert_eq!(
        (
            &overview["bookings"],
            &overview["totalPriceAmount"],
            &overview["averageBookingAmount"]
        ),
        (&json!(1), &json!(6050.0), &json!(6050.0))
    );
    // Still what the bookings were made on: cancelled bookings stay in the grid.
    assert_eq!(get(&app, &s, "/booking/roomrate/list").await, rate_list);
    assert_eq!(get(&app, &s, "/booking/owner/list").await, owner_list);
    let a = analytics(&app, &s, days3).await;
    assert_eq!(
        last_points(chart(&a, "Bookings")),
        pairs(&[("Bookings", 2.0), ("Cancellations", 1.0)])
    );
    assert_eq!(
        last_points(chart(&a, "Revenue (THB)")),
        pairs(&[("Revenue", 6050.0), ("Cancellation penalties", penalty)])
    );
    assert_eq!(
        last_points(chart(&a, "Room nights")),
        pairs(&[("Room nights", 3.0)])
    );
    assert_eq!(
        last_points(chart(&a, "Bookings by channel")),
        pairs(&[("Globetrotter Travel", 2.0)])
    );
    assert_eq!(
        last_points(chart(&a, "Revenue by room type (THB)")),
        pairs(&[("Deluxe", 6050.0)])
    );
    let r = grid(&app, &s, json!({ "filter": { "filters": [{ "field": "cancelled", "operator": "eq", "value": true }] } })).await;
    assert_eq!(codes(&r), [ann["bookingCode"].as_str().unwrap()]);
    assert_eq!(r.json["content"][0]["bookingStatus"], "CANCELLED");
    let rows = parse_csv(&report(&app, &s, &report_body).await.bytes);
    assert_eq!(rows[1][1..], ["true".to_string(), penalty.to_string()]);
    assert_eq!(rows[2][1..], ["false".to_string(), String::new()]);

    // Another account's property sees none of it, and this one's is not there for it.
    let other = Shop::new(&app, 1).await;
    assert_eq!(get(&app, &other, "/booking/owner/list").await, json!([]));
    assert_eq!(get(&app, &other, "/booking/overview").await["bookings"], 0);
    for path in [
        "/booking/overview",
        "/booking/roomrate/list",
        "/booking/owner/list",
    ] {
        app.get(&format!("{}{path}", s.root()), &other.p.token)
            .await
            .problem(StatusCode::NOT_FOUND);
    }
    app.post(
        &format!("{}/booking/analytics", s.root()),
        &other.p.token,
        &json!({ "type": "DAY" }),
    )
    .await
    .problem(StatusCode::NOT_FOUND);
}

async fn analytics_periods(app: TestApp) {
    let s = Shop::new(&app, 3).await;
    book(
        &app,
        &s,
        day(1),
        day(2),
        ("Ann", "Lee", "ann.lee@example.com"),
    )
    .await;
    let now = today();
    let a = analytics(&app, &s, json!({ "type": "MONTH" })).await;
    let charts = a["charts"].as_array().unwrap();
    assert_eq!(charts.len(), 5);
    for c in charts {
        let axis = c["xAxis"]["data"].as_array().unwrap();
        assert_eq!(axis.len(), 12, "{c}");
        assert_eq!(axis[0], "2025-07", "{c}");
        assert_eq!(axis[11], "2026-06", "{c}");
        assert_eq!(
            c["legend"]["data"].as_array().unwrap().len(),
            c["series"].as_array().unwrap().len()
        );
        for series in c["series"].as_array().unwrap() {
            assert_eq!(series["data"].as_array().unwrap().len(), 12);
        }
    }
    // The same charts keep their identifiers.
    let again = analytics(&app, &s, json!({ "type": "MONTH", "units": 2 })).await;
    for (x, y) in charts.iter().zip(again["charts"].as_array().unwrap()) {
        assert_eq!(x["identifier"], y["identifier"]);
    }
    let a = analytics(&app, &s, json!({ "type": "YEAR", "units": 2 })).await;
    assert_eq!(
        chart(&a, "Bookings")["xAxis"]["data"],
        json!(["2025", "2026"])
    );
    assert_eq!(
        chart(&a, "Bookings")["series"][0]["data"],
        json!([0.0, 1.0])
    );
    let a = analytics(&app, &s, json!({ "type": "HOUR", "units": 1 })).await;
    assert_eq!(chart(&a, "Bookings")["series"][0]["data"], json!([1.0]));
    // The server's clock stands at 10:00 in Bangkok (and runs for far less than an hour).
    assert_eq!(
        chart(&a, "Bookings")["xAxis"]["data"],
        json!([format!("{now}T10:00")])
    );
    let a = analytics(&app, &s, json!({ "type": "DAY", "units": 366 })).await;
    let axis = &chart(&a, "Room nights")["xAxis"]["data"];
    assert_eq!(
        (&axis[0], &axis[365]),
        (&json!("2025-06-17"), &json!("2026-06-17"))
    );

    for (body, field) in [
        (json!({ "type": "DAY", "units": 0 }), "/units"),
        (json!({ "type": "DAY", "units": 367 }), "/units"),
        (json!({ "type": "HOUR", "units": 169 }), "/units"),
        (json!({ "type": "YEAR", "units": 21 }), "/units"),
        (json!({ "type": "WEEK" }), "/type"),
        (json!({ "units": 3 }), "/type"),
    ] {
        let r = app
            .post(
                &format!("{}/booking/analytics", s.root()),
                &s.p.token,
                &body,
            )
            .await;
        assert_eq!(r.invalid_fields(), [field], "{body}");
    }
}

on_both_engines!(
    a_booking_and_its_cancellation_show_everywhere,
    analytics_periods
);
