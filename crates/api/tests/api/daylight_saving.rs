//! A property in a zone with daylight-saving time (London): its free-cancellation deadline is
//! midnight there, whichever offset is in force at that midnight, not the offset of the day the
//! booking was made. Booked in one season and cancelled in the other, across the autumn and the
//! spring changes, through the API on the server's clock.

use std::sync::Arc;

use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Value, json};
use wink_api::clock::ManualClock;

use crate::booking_lifecycle::{booked, cancel_body};
use crate::bookings::Shop;
use crate::fixtures;
use crate::on_both_engines;
use crate::support::TestApp;

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// The fixture property, standing in London (Europe/London: GMT in winter, BST in summer).
fn london() -> Value {
    let mut body = fixtures::property();
    body["name"] = json!("Test Hotel London");
    body["location"] = json!({ "type": "Point", "coordinates": [-0.1276, 51.5072] });
    body
}

async fn penalty(app: &TestApp, s: &Shop, booking: &Value) -> Value {
    let id = booking["id"].as_str().unwrap();
    let r = app
        .get(
            &format!("{}/booking/{id}/cancellable", s.root()),
            &s.p.token,
        )
        .await;
    assert_eq!(r.json["cancellable"], true, "{}", r.json);
    let r = app
        .patch(
            &format!("{}/booking/{id}/cancel", s.root()),
            &s.p.token,
            &cancel_body("CANCELLATION", "Plans changed"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    r.json["metadata"]["cancellationPenalty"].clone()
}

/// Two bookings of the same stay made in one season; one cancelled half an hour before the
/// deadline's local midnight, the other half an hour after it.
async fn around_the_deadline(
    app: &TestApp,
    clock: &ManualClock,
    s: &Shop,
    (booked_at, arrival, departure): (&str, &str, &str),
    (before, after): (&str, &str),
) {
    clock.set(utc(booked_at));
    let (a, d) = (date(arrival), date(departure));
    s.rates(
        app,
        a,
        d,
        json!({ "rate": { "amount": 2000, "currency": "THB" }, "numberOfUnits": 3 }),
    )
    .await;
    let early = booked(app, s, a, d, ("Ann", "Early", "ann@example.com")).await;
    let late = booked(app, s, a, d, ("Bob", "Late", "bob@example.com")).await;
    assert_eq!(early["roomStay"]["sourceTotal"]["amount"], 4050.0);
    clock.set(utc(before));
    assert_eq!(
        penalty(app, s, &early).await,
        json!({ "amount": 0.0, "currency": "THB" }),
        "{before} is before the deadline"
    );
    clock.set(utc(after));
    assert_eq!(
        penalty(app, s, &late).await,
        json!({ "amount": 2025.0, "currency": "THB" }),
        "{after} is after the deadline: 50 % of 4050"
    );
}

async fn deadlines_across_daylight_saving_changes(app: TestApp) {
    let clock = Arc::new(ManualClock::at(utc("2026-10-20T12:00:00Z")));
    let app = app.with_clock(clock.clone()).await;
    let s = Shop::with_property(&app, 3, &london()).await;
    // Autumn: booked in BST (UTC+1); arrival 27 October, free until the end of 25 October, which
    // is 00:00 GMT = 00:00 UTC on the 26th (clocks went back at 01:00 UTC on the 25th). With the
    // booking day's offset the deadline would be 23:00 UTC on the 25th.
    around_the_deadline(
        &app,
        &clock,
        &s,
        ("2026-10-20T12:00:00Z", "2026-10-27", "2026-10-29"),
        ("2026-10-25T23:30:00Z", "2026-10-26T00:30:00Z"),
    )
    .await;
    // Spring: booked in GMT; arrival 30 March, free until the end of 28 March, which is 00:00 BST
    // = 23:00 UTC on the 28th (clocks went forward at 01:00 UTC that day). With the booking day's
    // offset the deadline would be 00:00 UTC on the 29th.
    around_the_deadline(
        &app,
        &clock,
        &s,
        ("2027-03-20T12:00:00Z", "2027-03-30", "2027-04-01"),
        ("2027-03-28T22:30:00Z", "2027-03-28T23:30:00Z"),
    )
    .await;
}

on_both_engines!(deadlines_across_daylight_saving_changes);
