//! A room type or rate plan whose nights are booked from today on cannot be deleted (409, nothing
//! removed); nights before today and cancelled bookings do not count. "Today" is the property's,
//! on the server's clock, moved here past the stay's nights one day at a time.

use std::sync::Arc;

use axum::http::StatusCode;
use chrono::Duration;
use wink_api::clock::ManualClock;

use crate::booking_lifecycle::{booked, cancel_body};
use crate::bookings::{Shop, day};
use crate::on_both_engines;
use crate::support::{TestApp, start_instant};

async fn booked_nights_from_today_on_keep_their_room_type_and_rate_plan(app: TestApp) {
    let clock = Arc::new(ManualClock::at(start_instant()));
    let app = app.with_clock(clock.clone()).await;
    let s = Shop::new(&app, 3).await;
    let plan = format!("{}/rate-plan/{}", s.root(), s.plan);
    let room = format!("{}/facility/room-type/{}", s.root(), s.room);
    // Two nights, day(1) and day(2); and a cancelled booking over later nights.
    booked(&app, &s, day(1), day(3), ("Ann", "Lee", "ann@example.com")).await;
    let gone = booked(&app, &s, day(5), day(7), ("Bob", "Gone", "bob@example.com")).await;
    let r = app
        .patch(
            &format!(
                "{}/booking/{}/cancel",
                s.root(),
                gone["id"].as_str().unwrap()
            ),
            &s.p.token,
            &cancel_body("CANCELLATION", "Plans changed"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);

    let refused = |nights: u32, what: &'static str| {
        let (app, path, token) = (
            &app,
            if what == "rate plan" { &plan } else { &room },
            &s.p.token,
        );
        async move {
            let r = app.delete(path, token).await;
            let detail = r.problem(StatusCode::CONFLICT)["detail"]
                .as_str()
                .unwrap()
                .to_string();
            let today = app.state.today_in(chrono_tz::Asia::Bangkok);
            assert_eq!(
                detail,
                format!(
                    "the {what} still has {nights} booked night(s) from {today} on; cancel those bookings first"
                )
            );
            assert_eq!(
                app.get(path, token).await.status,
                StatusCode::OK,
                "{what} kept"
            );
        }
    };
    // Today (day 0): both nights are ahead.
    refused(2, "rate plan").await;
    refused(2, "room type").await;
    // On the second night's day, the first is past: one night still holds them.
    clock.set(start_instant() + Duration::days(2));
    refused(1, "rate plan").await;
    refused(1, "room type").await;
    // An hour before midnight at the property it is still that day.
    clock.set(start_instant() + Duration::days(2) + Duration::hours(13));
    refused(1, "rate plan").await;
    // On the departure day nothing is held any more: both can go.
    clock.set(start_instant() + Duration::days(3));
    let r = app.delete(&plan, &s.p.token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    app.get(&plan, &s.p.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    let r = app.delete(&room, &s.p.token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    app.get(&room, &s.p.token)
        .await
        .problem(StatusCode::NOT_FOUND);
}

on_both_engines!(booked_nights_from_today_on_keep_their_room_type_and_rate_plan);
