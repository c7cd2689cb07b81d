//! Rooms left are derived: the capacity a hotel writes (`quantity`, `numberOfUnits`,
//! `deltaQuantity`) less the rooms held by bookings that are not cancelled. So a write made from
//! a read that a booking has since made stale never sells that booking's room again, and a
//! cancellation gives its rooms back exactly once, whatever was written in between.

use axum::http::StatusCode;
use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::booking_lifecycle::{booked, cancel_body};
use crate::bookings::{Shop, day};
use crate::on_both_engines;
use crate::support::TestApp;

/// `PUT rate/update` of the shop's master rate on `date` with `value`; answers the rate.
async fn keyed(app: &TestApp, s: &Shop, date: NaiveDate, value: Value) -> Value {
    let body = json!([{
        "key": { "hotelIdentifier": s.property, "ratePlanIdentifier": s.plan,
                 "guestRoomIdentifier": s.room, "date": date },
        "value": value
    }]);
    let r = app
        .put(&format!("{}/rate/update", s.root()), &s.p.token, &body)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    r.json[0].clone()
}

async fn cancel(app: &TestApp, s: &Shop, id: &str) {
    let r = app
        .patch(
            &format!("{}/booking/{id}/cancel", s.root()),
            &s.p.token,
            &cancel_body("CANCELLATION", "Plans changed"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
}

/// (capacity, sold, held by live bookings) of the shop's room type on `night`.
async fn audit(app: &TestApp, s: &Shop, night: NaiveDate) -> (i32, i32, i64) {
    let rows = app
        .store
        .availability_audit(s.room.parse().unwrap(), night, night)
        .await
        .unwrap();
    (rows[0].capacity, rows[0].sold, rows[0].held)
}

/// A client reads 5 rooms left, a booking takes one, the client writes back the 5 it read (keyed
/// list, then bulk): the booking's room stays sold, 4 are left. A capacity written below what is
/// sold sells nothing more and keeps the bookings; cancelling then gives back only what is over
/// the new capacity.
async fn a_booking_between_a_read_and_an_absolute_set_is_not_undone(app: TestApp) {
    let s = Shop::new(&app, 5).await;
    let (a, d) = (day(4), day(5));
    let read = s.units(&app, a, a).await;
    assert_eq!(read, [5]);
    let booking = booked(&app, &s, a, d, ("Ann", "Lee", "ann@example.com")).await;
    assert_eq!(s.units(&app, a, a).await, [4]);

    // The stale absolute write, keyed: answered and stored as 5 less the booked room.
    let rate = keyed(&app, &s, a, json!({ "quantity": read[0] })).await;
    assert_eq!(rate["quantity"], 4, "{rate}");
    assert_eq!(s.units(&app, a, a).await, [4]);
    // The same through the bulk write.
    s.rates(&app, a, a, json!({ "numberOfUnits": read[0] }))
        .await;
    assert_eq!(s.units(&app, a, a).await, [4]);
    assert_eq!(audit(&app, &s, a).await, (5, 1, 1));

    // A relative change moves the capacity; the booked room stays sold.
    keyed(&app, &s, a, json!({ "deltaQuantity": -2 })).await;
    assert_eq!(s.units(&app, a, a).await, [2]);
    keyed(&app, &s, a, json!({ "deltaQuantity": 2 })).await;
    assert_eq!(s.units(&app, a, a).await, [4]);
    // A decrease past what is left is refused, changing nothing.
    let body = json!([{ "key": { "hotelIdentifier": s.property, "ratePlanIdentifier": s.plan,
                                  "guestRoomIdentifier": s.room, "date": a },
                         "value": { "deltaQuantity": -5 } }]);
    let r = app
        .put(&format!("{}/rate/update", s.root()), &s.p.token, &body)
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.json);
    assert_eq!(s.units(&app, a, a).await, [4]);

    // Closing the night (capacity 0) leaves the booking alone and sells nothing more.
    let rate = keyed(&app, &s, a, json!({ "quantity": 0 })).await;
    assert_eq!(rate["quantity"], 0, "{rate}");
    assert_eq!(audit(&app, &s, a).await, (0, 1, 1));
    let query = s.query(a, d, 2);
    let r = s.room_list(&app, &query).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert!(
        r.json[0]["accessibleAvailability"][0]["priceConfigurations"]
            .as_array()
            .is_none_or(|offers| offers.is_empty()),
        "nothing offered on a closed night: {}",
        r.json
    );
    // Cancelling gives its room back to a capacity of 0: still none left.
    cancel(&app, &s, booking["id"].as_str().unwrap()).await;
    assert_eq!(audit(&app, &s, a).await, (0, 0, 0));
    assert_eq!(s.units(&app, a, a).await, [0]);
    keyed(&app, &s, a, json!({ "quantity": 2 })).await;
    assert_eq!(s.units(&app, a, a).await, [2]);
}

/// A booking's rooms come back once: cancelling again changes nothing, and a capacity written
/// while the booking held its rooms is what is left after it is cancelled.
async fn cancellation_releases_exactly_once(app: TestApp) {
    let s = Shop::new(&app, 5).await;
    let (a, d) = (day(6), day(9));
    let first = booked(&app, &s, a, d, ("Ann", "Lee", "ann@example.com")).await;
    let second = booked(&app, &s, a, d, ("Bob", "Ray", "bob@example.com")).await;
    assert_eq!(s.units(&app, a, d).await, [3, 3, 3, 5]);
    // The hotel now gives 6 rooms on those nights: 4 left while both bookings hold theirs.
    s.rates(
        &app,
        a,
        d - chrono::Days::new(1),
        json!({ "numberOfUnits": 6 }),
    )
    .await;
    assert_eq!(s.units(&app, a, d).await, [4, 4, 4, 5]);
    let id = first["id"].as_str().unwrap();
    cancel(&app, &s, id).await;
    assert_eq!(s.units(&app, a, d).await, [5, 5, 5, 5]);
    cancel(&app, &s, id).await;
    assert_eq!(s.units(&app, a, d).await, [5, 5, 5, 5], "released once");
    cancel(&app, &s, second["id"].as_str().unwrap()).await;
    assert_eq!(s.units(&app, a, d).await, [6, 6, 6, 5]);
    assert_eq!(audit(&app, &s, a).await, (6, 0, 0));
}

on_both_engines!(
    a_booking_between_a_read_and_an_absolute_set_is_not_undone,
    cancellation_releases_exactly_once
);
