//! The property's reviews: count, grid (the contract's State through the grid engine) and show,
//! each of the path's property only.

use chrono::Duration;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::booking_lifecycle::booked;
use crate::bookings::{Shop, day};
use crate::on_both_engines;
use crate::reviews::review_of;
use crate::support::TestApp;

/// Stores a review of a new booking at `s` by `guest`, `days_ago`, with these answer values.
async fn reviewed(
    app: &TestApp,
    s: &Shop,
    nights: (u64, u64),
    guest: (&str, &str, &str),
    days_ago: i64,
    values: &[i32],
    responded: bool,
) -> Uuid {
    let b = booked(app, s, day(nights.0), day(nights.1), guest).await;
    let booking: Uuid = b["id"].as_str().unwrap().parse().unwrap();
    let mut review = review_of(app, s.property, booking, false);
    review.guest_first_name = guest.0.into();
    review.guest_last_name = guest.1.into();
    review.guest_email = guest.2.into();
    review.review_date = app.state.now() - Duration::days(days_ago);
    let answers: Vec<Value> = values
        .iter()
        .enumerate()
        .map(|(i, v)| json!({ "questionIdentifier": Uuid::new_v4(), "category": "SERVICE", "sort": i + 1, "value": v }))
        .collect();
    review.answers = wink_store::Json(json!(answers));
    if responded {
        review.response_from_hotel = Some("Thank you".into());
    }
    app.store.create_review(&review).await.unwrap();
    review.id
}

fn ids(page: &Value) -> Vec<String> {
    page["content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

async fn review_grid_count_and_show(app: TestApp) {
    let s = Shop::new(&app, 5).await;
    let ann = reviewed(
        &app,
        &s,
        (2, 3),
        ("Ann", "Lee", "ann@example.com"),
        3,
        &[9, 8],
        true,
    )
    .await;
    let bob = reviewed(
        &app,
        &s,
        (4, 5),
        ("Bob", "Stone", "bob@example.com"),
        1,
        &[5, 6],
        false,
    )
    .await;
    let cy = reviewed(
        &app,
        &s,
        (6, 7),
        ("Cy", "Leeds", "cy@example.com"),
        2,
        &[10, 10],
        false,
    )
    .await;
    let other = Shop::new(&app, 1).await;
    let theirs = reviewed(
        &app,
        &other,
        (2, 3),
        ("Dee", "Lee", "dee@example.com"),
        0,
        &[7],
        false,
    )
    .await;
    let owned = [ann, bob, cy, theirs].map(|id| id.to_string());
    let [ann, bob, cy, theirs] = [0, 1, 2, 3].map(|i| owned[i].as_str());
    let grid = format!("{}/review/grid", s.root());

    // Count: the property's own reviews.
    let r = app
        .get(&format!("{}/review/count", s.root()), &s.p.token)
        .await;
    assert_eq!(r.json, json!({ "success": true, "count": 3 }));
    let r = app
        .get(&format!("{}/review/count", other.root()), &other.p.token)
        .await;
    assert_eq!(r.json, json!({ "success": true, "count": 1 }));

    // Newest first by default, in the page envelope.
    let r = app.post(&grid, &s.p.token, &json!({})).await;
    assert_eq!(r.status, axum::http::StatusCode::OK, "{}", r.json);
    assert_eq!(ids(&r.json), [bob, cy, ann]);
    assert_eq!(
        (
            &r.json["totalElements"],
            &r.json["first"],
            &r.json["last"],
            &r.json["size"]
        ),
        (&json!(3), &json!(true), &json!(true), &json!(30))
    );
    assert_eq!(r.json["content"][2]["averageScore"], 8.5);

    // Filter and sort, values bound.
    let by = |filters: Value, sort: Value| json!({ "filter": { "logic": "and", "filters": filters }, "sort": sort });
    let r = app
        .post(
            &grid,
            &s.p.token,
            &by(
                json!([{ "field": "averageScore", "operator": "gte", "value": 8.5 }]),
                json!([{ "field": "averageScore", "dir": "asc" }]),
            ),
        )
        .await;
    assert_eq!(ids(&r.json), [ann, cy]);
    let r = app
        .post(&grid, &s.p.token, &by(json!([{ "field": "user.lastName", "operator": "startswith", "value": "lee", "ignoreCase": true }]),
            json!([{ "field": "user.firstName", "dir": "desc" }])))
        .await;
    assert_eq!(ids(&r.json), [cy, ann]);
    let r = app
        .post(
            &grid,
            &s.p.token,
            &by(
                json!([{ "field": "responded", "operator": "eq", "value": false }]),
                json!([{ "field": "reviewDate", "dir": "asc" }]),
            ),
        )
        .await;
    assert_eq!(ids(&r.json), [cy, bob]);
    let r = app
        .post(
            &grid,
            &s.p.token,
            &json!({ "skip": 1, "take": 1, "sort": [{ "field": "averageScore", "dir": "desc" }] }),
        )
        .await;
    assert_eq!(ids(&r.json), [ann]);
    assert_eq!(
        (&r.json["number"], &r.json["totalPages"], &r.json["last"]),
        (&json!(1), &json!(3), &json!(false))
    );
    let r = app
        .post(
            &grid,
            &s.p.token,
            &by(
                json!([{ "field": "user.lastName", "operator": "eq", "value": "Lee' OR 1=1 --" }]),
                json!([]),
            ),
        )
        .await;
    assert_eq!(ids(&r.json), Vec::<String>::new());

    // Refusals name their pointer.
    for (body, field) in [
        (
            by(
                json!([{ "field": "hotelIdentifier", "operator": "eq", "value": "x" }]),
                json!([]),
            ),
            "/filter/filters/0/field",
        ),
        (
            by(
                json!([{ "field": "averageScore", "operator": "contains", "value": "8" }]),
                json!([]),
            ),
            "/filter/filters/0/operator",
        ),
        (
            by(
                json!([{ "field": "responded", "operator": "eq", "value": "yes" }]),
                json!([]),
            ),
            "/filter/filters/0/value",
        ),
    ] {
        assert_eq!(
            app.post(&grid, &s.p.token, &body).await.invalid_fields(),
            [field],
            "{body}"
        );
    }

    // Show: the property's own reviews only.
    let r = app
        .get(&format!("{}/review/{ann}", s.root()), &s.p.token)
        .await;
    assert_eq!(r.status, axum::http::StatusCode::OK, "{}", r.json);
    assert_eq!(
        (&r.json["id"], &r.json["averageScore"], &r.json["responded"]),
        (&json!(ann), &json!(8.5), &json!(true))
    );
    assert_eq!(r.headers["etag"], "\"1\"");
    app.get(&format!("{}/review/{theirs}", s.root()), &s.p.token)
        .await
        .problem(axum::http::StatusCode::NOT_FOUND);
    app.get(&format!("{}/review/{ann}", other.root()), &other.p.token)
        .await
        .problem(axum::http::StatusCode::NOT_FOUND);
    app.get(&format!("{}/review/{ann}", s.root()), &other.p.token)
        .await
        .problem(axum::http::StatusCode::NOT_FOUND);
}

on_both_engines!(review_grid_count_and_show);
