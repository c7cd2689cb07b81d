//! The server reads the time only from the clock in its state: moved past a stay, the same
//! booking is no longer cancellable, and cancelling it is refused.

use std::sync::Arc;

use axum::http::StatusCode;
use chrono::{TimeZone, Utc};
use wink_api::clock::ManualClock;

use crate::booking_lifecycle::cancel_body;
use crate::bookings::{Shop, day};
use crate::on_both_engines;
use crate::support::TestApp;

async fn the_server_lives_on_its_clock(app: TestApp) {
    let clock = Arc::new(ManualClock::at(crate::support::start_instant()));
    let app = app.with_clock(clock.clone()).await;
    let s = Shop::new(&app, 3).await;
    let (arrival, departure) = (day(4), day(6));
    let query = s.query(arrival, departure, 2);
    let offer = s.offer(&app, &query).await;
    let body = s.booking_request(&query, &offer, ("Ann", "Lee", "ann@example.com"));
    let booked = s.book(&app, &body).await;
    assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.json);
    let id = booked.json["id"].as_str().unwrap().to_string();
    let cancellable = format!("{}/booking/{id}/cancellable", s.root());
    let r = app.get(&cancellable, &s.p.token).await;
    assert_eq!(r.json["cancellable"], true, "{}", r.json);

    // 01:00 on the departure day at the property (Bangkok, UTC+7).
    let bangkok = chrono_tz::Asia::Bangkok;
    let at = bangkok
        .from_local_datetime(&departure.and_hms_opt(1, 0, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc);
    clock.set(at);
    let r = app.get(&cancellable, &s.p.token).await;
    assert_eq!(r.json["cancellable"], false, "{}", r.json);
    let r = app
        .patch(
            &format!("{}/booking/{id}/cancel", s.root()),
            &s.p.token,
            &cancel_body("CANCELLATION", "Plans changed"),
        )
        .await;
    let detail = r.problem(StatusCode::CONFLICT)["detail"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(detail.contains("the stay ended"), "{detail}");

    // An hour before midnight at the property, it is still the day before departure.
    clock.set(at - chrono::Duration::hours(2));
    let r = app.get(&cancellable, &s.p.token).await;
    assert_eq!(r.json["cancellable"], true, "{}", r.json);
}

on_both_engines!(the_server_lives_on_its_clock);
