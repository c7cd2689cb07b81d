//! Responding to guest reviews. Reviews come from the platform (there is no supplier operation to
//! write one), so the tests store them directly.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};
use uuid::Uuid;
use wink_store::StoreError;
use wink_store::reviews::Review;

use crate::booking_lifecycle::booked;
use crate::bookings::{Shop, day};
use crate::on_both_engines;
use crate::support::{TestApp, TestResponse};

/// A guest's review of `booking` (with an image when `image`).
pub fn review_of(app: &TestApp, property: Uuid, booking: Uuid, image: bool) -> Review {
    let now = app.state.now();
    Review {
        id: Uuid::new_v4(),
        property_id: property,
        booking_id: booking,
        guest_first_name: "Ann".into(),
        guest_last_name: "Lee".into(),
        guest_email: "ann@example.com".into(),
        review_date: now,
        answers: wink_store::Json(json!([
            { "questionIdentifier": "4d7c2a6b-9e3f-4b1a-8d0c-7f5e1a9b3c62", "category": "SERVICE", "sort": 1, "value": 9 },
            { "questionIdentifier": "5e8d3b7a-2f1c-4a9e-b6d0-8c4f2b0e7a15", "category": "COMFORT", "sort": 2, "value": 8 }
        ])),
        message_from_guest: Some("Thank you for the lovely stay".into()),
        review_text: Some("Great breakfast, quiet room.".into()),
        image_identifier: image.then(|| "reviews/ann-lee".to_string()),
        room_number: Some("501".into()),
        room_rating: Some(9),
        likes: wink_store::Json(json!([])),
        approved_text: false,
        approved_image: false,
        response_from_hotel: None,
        responded_by: None,
        responded_at: None,
        created_at: now,
        updated_at: now,
        version: 1,
    }
}

fn response_body(text: &str, approved_text: bool, approved_image: bool) -> Value {
    json!({ "responseFromHotel": text, "approvedText": approved_text, "approvedImage": approved_image })
}

async fn respond(
    app: &TestApp,
    s: &Shop,
    review: &str,
    body: &Value,
    if_match: Option<&str>,
) -> TestResponse {
    let mut r = Request::builder()
        .method(Method::PATCH)
        .uri(format!("{}/review/{review}/response", s.root()))
        .header(header::AUTHORIZATION, format!("Bearer {}", s.p.token))
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(tag) = if_match {
        r = r.header(header::IF_MATCH, tag);
    }
    app.send(r.body(Body::from(body.to_string())).unwrap())
        .await
}

async fn respond_to_a_review(app: TestApp) {
    let s = Shop::new(&app, 3).await;
    let b = booked(&app, &s, day(2), day(3), ("Ann", "Lee", "ann@example.com")).await;
    let booking: Uuid = b["id"].as_str().unwrap().parse().unwrap();
    let review = review_of(&app, s.property, booking, true);
    app.store.create_review(&review).await.unwrap();
    let id = review.id.to_string();

    // The store keeps one review per booking, of the booking's own property.
    let again = app
        .store
        .create_review(&review_of(&app, s.property, booking, false))
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let other = Shop::new(&app, 1).await;
    let foreign = app
        .store
        .create_review(&review_of(&app, other.property, booking, false))
        .await;
    assert!(matches!(foreign, Err(StoreError::NotFound)), "{foreign:?}");

    // Bad responses name their field and change nothing.
    let r = respond(&app, &s, &id, &response_body("   ", true, false), None).await;
    assert_eq!(r.invalid_fields(), ["/responseFromHotel"]);
    let r = respond(
        &app,
        &s,
        &id,
        &json!({ "responseFromHotel": "Thanks" }),
        None,
    )
    .await;
    assert_eq!(r.invalid_fields(), ["/approvedImage", "/approvedText"]);
    let r = respond(
        &app,
        &s,
        &id,
        &response_body("Thanks", true, true),
        Some("\"5\""),
    )
    .await;
    r.problem(StatusCode::PRECONDITION_FAILED);
    assert_eq!(
        app.store
            .review(s.property, review.id)
            .await
            .unwrap()
            .version,
        1
    );

    let r = respond(
        &app,
        &s,
        &id,
        &response_body("Thank you, Ann: see you again!", true, true),
        Some("\"1\""),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.headers["etag"], "\"2\"");
    let mut expected = json!({
        "id": id, "version": 2, "bookingIdentifier": booking, "hotelIdentifier": s.property,
        "user": { "firstName": "Ann", "lastName": "Lee", "email": "ann@example.com", "fullName": "Ann Lee" },
        "averageScore": 8.5,
        "answers": [
            { "questionIdentifier": "4d7c2a6b-9e3f-4b1a-8d0c-7f5e1a9b3c62", "category": "SERVICE", "sort": 1, "value": 9 },
            { "questionIdentifier": "5e8d3b7a-2f1c-4a9e-b6d0-8c4f2b0e7a15", "category": "COMFORT", "sort": 2, "value": 8 }
        ],
        "messageFromGuest": "Thank you for the lovely stay",
        "responseFromHotel": "Thank you, Ann: see you again!",
        "imageIdentifier": "reviews/ann-lee",
        "text": "Great breakfast, quiet room.",
        "approvedText": true, "approvedImage": true,
        "roomNumber": "501", "roomRating": 9, "responded": true
    });
    for copied in ["createdDate", "lastUpdate", "reviewDate"] {
        expected[copied] = r.json[copied].clone();
    }
    assert_eq!(r.json, expected);
    let stored = app.store.review(s.property, review.id).await.unwrap();
    assert_eq!(stored.responded_by, Some(s.p.client_id));

    // Responding again replaces the response.
    let r = respond(
        &app,
        &s,
        &id,
        &response_body("Updated reply", false, false),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(
        (
            &r.json["responseFromHotel"],
            &r.json["version"],
            &r.json["approvedImage"]
        ),
        (&json!("Updated reply"), &json!(3), &json!(false))
    );

    // The booking shows its review.
    let shown = app
        .get(&format!("{}/booking/{booking}", s.root()), &s.p.token)
        .await;
    assert_eq!(shown.json["review"]["identifier"], id.as_str());
    assert_eq!(shown.json["review"]["responseFromHotel"], "Updated reply");
    assert_eq!(shown.json["review"]["responded"], true);

    // A review without an image: nothing to approve.
    let b2 = booked(
        &app,
        &s,
        day(5),
        day(6),
        ("Bob", "Stone", "bob@example.com"),
    )
    .await;
    let plain = review_of(
        &app,
        s.property,
        b2["id"].as_str().unwrap().parse().unwrap(),
        false,
    );
    app.store.create_review(&plain).await.unwrap();
    let r = respond(
        &app,
        &s,
        &plain.id.to_string(),
        &response_body("Thanks", true, true),
        None,
    )
    .await;
    assert_eq!(r.invalid_fields(), ["/approvedImage"]);
    let r = respond(
        &app,
        &s,
        &plain.id.to_string(),
        &response_body("Thanks", true, false),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["responded"], true);
    assert!(r.json.get("imageIdentifier").is_none());

    // Missing, malformed and foreign reviews: 404.
    for missing in [Uuid::new_v4().to_string(), "nope".into()] {
        respond(&app, &s, &missing, &response_body("x", false, false), None)
            .await
            .problem(StatusCode::NOT_FOUND);
    }
    respond(&app, &other, &id, &response_body("x", false, false), None)
        .await
        .problem(StatusCode::NOT_FOUND);
    assert_eq!(
        app.store
            .review(s.property, review.id)
            .await
            .unwrap()
            .version,
        3
    );
}

on_both_engines!(respond_to_a_review);
