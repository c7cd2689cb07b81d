//! The booking lifecycle beyond booking and cancelling: no-shows, refused transitions, refund
//! requests, and the notification outbox (a test booking's `notification`, resending the
//! confirmation).

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::NaiveDate;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::bookings::{Shop, day};
use crate::on_both_engines;
use crate::support::{TestApp, TestResponse};

/// Books one room of the shop's offer from `a` to `d` for `guest` (first, last, email) and answers
/// the booking.
pub async fn booked(
    app: &TestApp,
    s: &Shop,
    a: NaiveDate,
    d: NaiveDate,
    guest: (&str, &str, &str),
) -> Value {
    let query = s.query(a, d, 2);
    let offer = s.offer(app, &query).await;
    let r = s.book(app, &s.booking_request(&query, &offer, guest)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    r.json
}

pub fn cancel_body(kind: &str, reason: &str) -> Value {
    json!({ "cancellationType": kind, "reason": reason })
}

async fn cancel(app: &TestApp, s: &Shop, id: &str, kind: &str) -> TestResponse {
    app.patch(
        &format!("{}/booking/{id}/cancel", s.root()),
        &s.p.token,
        &cancel_body(kind, "Guest did not come"),
    )
    .await
}

async fn show(app: &TestApp, s: &Shop, id: &str) -> Value {
    let r = app
        .get(&format!("{}/booking/{id}", s.root()), &s.p.token)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    r.json
}

/// A no-show from the arrival date on, with the policy's no-show charge; what the lifecycle
/// refuses is a 409 that changes nothing; repeats answer the booking unchanged.
async fn no_shows_and_refused_transitions(app: TestApp) {
    let s = Shop::new(&app, 3).await;
    // Open today too: a guest arriving today can be a no-show today.
    s.rates(
        &app,
        day(0),
        day(0),
        json!({ "rate": { "amount": 2000, "currency": "THB" }, "numberOfUnits": 3 }),
    )
    .await;

    // Not before the arrival date.
    let later = booked(&app, &s, day(3), day(5), ("Ann", "Lee", "ann@example.com")).await;
    let later_id = later["id"].as_str().unwrap();
    let r = cancel(&app, &s, later_id, "NO_SHOW").await;
    let detail = r.problem(StatusCode::CONFLICT)["detail"].as_str().unwrap();
    assert!(detail.contains("from its arrival date on"), "{detail}");
    assert_eq!(show(&app, &s, later_id).await["version"], 1);
    assert_eq!(s.units(&app, day(3), day(4)).await, [2, 2]);

    // Arriving today: a no-show costs the policy's no-show charge (100 % of the total here).
    let today = booked(
        &app,
        &s,
        day(0),
        day(2),
        ("Bob", "Stone", "bob@example.com"),
    )
    .await;
    let id = today["id"].as_str().unwrap();
    assert_eq!(s.units(&app, day(0), day(1)).await, [2, 2]);
    let r = cancel(&app, &s, id, "NO_SHOW").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let no_show = r.json.clone();
    assert_eq!(no_show["bookingStatus"], "CANCELLED");
    assert_eq!(no_show["cancellation"]["cancellationType"], "NO_SHOW");
    assert_eq!(no_show["cancelled"], true);
    assert_eq!(no_show["cancellable"], false);
    assert_eq!(no_show["statusHistory"][1]["toStatus"], "CANCELLED");
    assert_eq!(
        no_show["metadata"]["cancellationPenalty"],
        json!({ "amount": 4050.0, "currency": "THB" })
    );
    assert_eq!(no_show["financialBreakdown"]["netSourceAmount"], 4050.0);
    assert_eq!(
        s.units(&app, day(0), day(1)).await,
        [3, 3],
        "rooms released"
    );

    // Repeats answer it unchanged: no-show again, or a cancellation of a no-show.
    for kind in ["NO_SHOW", "CANCELLATION"] {
        let r = cancel(&app, &s, id, kind).await;
        assert_eq!((r.status, &r.json), (StatusCode::OK, &no_show), "{kind}");
    }
    assert_eq!(s.units(&app, day(0), day(1)).await, [3, 3]);

    // A cancelled booking cannot become a no-show: 409, nothing changes.
    let r = cancel(&app, &s, later_id, "CANCELLATION").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let cancelled = r.json.clone();
    let r = cancel(&app, &s, later_id, "NO_SHOW").await;
    let detail = r.problem(StatusCode::CONFLICT)["detail"].as_str().unwrap();
    assert_eq!(detail, "a cancelled booking cannot be marked as a no-show");
    assert_eq!(show(&app, &s, later_id).await, {
        let mut shown = cancelled.clone();
        shown["roomStay"]["price"]
            .as_object_mut()
            .map(|p| p.remove("list"));
        shown
    });
    // The list's ACTIVE state leaves both out.
    let r = app
        .get(
            &format!("{}/booking/list?state=ACTIVE", s.root()),
            &s.p.token,
        )
        .await;
    assert_eq!(r.json["totalElements"], 0);
}

fn refund_body(amount: f64) -> Value {
    json!({
        "type": "GUEST_SICK",
        "description": "Guest fell ill; goodwill refund",
        "refund": { "amount": amount, "currency": "THB" },
        "cancelOnRefund": "NONE"
    })
}

async fn refund(app: &TestApp, s: &Shop, id: &str, body: &Value) -> TestResponse {
    app.patch(
        &format!("{}/booking/{id}/request-refund", s.root()),
        &s.p.token,
        body,
    )
    .await
}

/// Refund requests: checked against what the property keeps, recorded PENDING on the booking
/// (which keeps its status), one at a time.
async fn refund_requests(app: TestApp) {
    let s = Shop::new(&app, 3).await;
    let b = booked(&app, &s, day(4), day(6), ("Ann", "Lee", "ann@example.com")).await;
    let id = b["id"].as_str().unwrap().to_string();

    // Bad requests name their field and change nothing.
    for (change, field) in [
        (
            (|b: &mut Value| b["refund"]["currency"] = json!("USD")) as fn(&mut Value),
            "/refund/currency",
        ),
        (|b| b["refund"]["amount"] = json!(0), "/refund/amount"),
        (|b| b["refund"]["amount"] = json!(-5), "/refund/amount"),
        (|b| b["refund"]["amount"] = json!(4050.01), "/refund/amount"),
        (|b| b["refund"]["amount"] = json!(10.005), "/refund/amount"),
        (|b| b["description"] = json!("   "), "/description"),
        (|b| b["type"] = json!("BORED"), "/type"),
        (|b| b["cancelOnRefund"] = json!("MAYBE"), "/cancelOnRefund"),
    ] {
        let mut body = refund_body(500.0);
        change(&mut body);
        let r = refund(&app, &s, &id, &body).await;
        assert_eq!(r.invalid_fields(), [field], "{body}");
    }
    let r = refund(&app, &s, &id, &{
        let mut b = refund_body(9999.0);
        b["refund"]["amount"] = json!(4051);
        b
    })
    .await;
    assert!(
        r.json["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("at most 4050 THB"),
        "{}",
        r.json
    );
    let shown = show(&app, &s, &id).await;
    assert_eq!(shown["version"], 1);
    assert!(shown.get("refund").is_none());
    assert_eq!(shown["hasRefunds"], false);

    // A stale If-Match is 412.
    let request = Request::builder()
        .method(Method::PATCH)
        .uri(format!("{}/booking/{id}/request-refund", s.root()))
        .header(header::AUTHORIZATION, format!("Bearer {}", s.p.token))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::IF_MATCH, "\"7\"")
        .body(Body::from(refund_body(500.0).to_string()))
        .unwrap();
    app.send(request)
        .await
        .problem(StatusCode::PRECONDITION_FAILED);

    // Recorded PENDING; the booking keeps its status and its rooms, its version goes up.
    let r = refund(&app, &s, &id, &refund_body(500.0)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.headers["etag"], "\"2\"");
    let asked = r.json.clone();
    assert_eq!(asked["version"], 2);
    assert_eq!(asked["bookingStatus"], "TEST_PAYMENT_SUCCEEDED");
    assert_eq!(asked["hasRefunds"], true);
    let refund_id = asked["refund"]["identifier"].as_str().unwrap().to_string();
    let mut expected = json!({
        "identifier": refund_id, "sourceAmount": 500.0, "internalAmount": 500.0, "displayAmount": 500.0,
        "description": "Guest fell ill; goodwill refund", "reason": "GUEST_SICK", "status": "PENDING",
        "requestor": "BY_SUPPLIER", "cancelOnRefund": "NONE"
    });
    expected["createdDate"] = asked["refund"]["createdDate"].clone();
    assert_eq!(asked["refund"], expected);
    assert_eq!(s.units(&app, day(4), day(5)).await, [2, 2]);
    assert_eq!(show(&app, &s, &id).await["refund"], expected);
    let list = app
        .get(&format!("{}/booking/list", s.root()), &s.p.token)
        .await;
    assert_eq!(list.json["content"][0]["refund"], expected);

    // One pending request at a time.
    let r = refund(&app, &s, &id, &refund_body(100.0)).await;
    let detail = r.problem(StatusCode::CONFLICT)["detail"].as_str().unwrap();
    assert_eq!(
        detail,
        "a refund request is already pending for this booking"
    );
    assert_eq!(show(&app, &s, &id).await["version"], 2);

    // Once cancelled, what the property keeps is the penalty: free here, so nothing to refund.
    let free = booked(
        &app,
        &s,
        day(10),
        day(11),
        ("Cleo", "Free", "cleo@example.com"),
    )
    .await;
    let free_id = free["id"].as_str().unwrap();
    let r = app
        .patch(
            &format!("{}/booking/{free_id}/cancel", s.root()),
            &s.p.token,
            &cancel_body("CANCELLATION", "Plans changed"),
        )
        .await;
    assert_eq!(r.json["metadata"]["cancellationPenalty"]["amount"], 0.0);
    let r = refund(&app, &s, free_id, &refund_body(1.0)).await;
    let detail = r.problem(StatusCode::CONFLICT)["detail"].as_str().unwrap();
    assert!(detail.contains("nothing to refund"), "{detail}");
    // Inside the window the penalty (50 %) can be refunded, up to itself.
    let late = booked(&app, &s, day(1), day(2), ("Dan", "Late", "dan@example.com")).await;
    let late_id = late["id"].as_str().unwrap();
    let r = app
        .patch(
            &format!("{}/booking/{late_id}/cancel", s.root()),
            &s.p.token,
            &cancel_body("CANCELLATION", "Plans changed"),
        )
        .await;
    assert_eq!(r.json["metadata"]["cancellationPenalty"]["amount"], 1025.0);
    let r = refund(&app, &s, late_id, &refund_body(1025.5)).await;
    assert_eq!(r.invalid_fields(), ["/refund/amount"]);
    let r = refund(&app, &s, late_id, &refund_body(1025.0)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["bookingStatus"], "CANCELLED");
    assert_eq!(r.json["refund"]["status"], "PENDING");

    // Missing and foreign bookings: 404.
    let other = Shop::new(&app, 1).await;
    for (root, token, booking) in [
        (s.root(), &s.p.token, Uuid::new_v4().to_string()),
        (s.root(), &s.p.token, "nope".to_string()),
        (s.root(), &other.p.token, id.clone()),
        (other.root(), &other.p.token, id.clone()),
    ] {
        app.patch(
            &format!("{root}/booking/{booking}/request-refund"),
            token,
            &refund_body(1.0),
        )
        .await
        .problem(StatusCode::NOT_FOUND);
    }
}

/// What a test booking's `notification` asks for is recorded in the outbox (nothing is sent), and
/// shown on the booking; resending records the confirmation again.
async fn notifications_are_recorded(app: TestApp) {
    let s = Shop::new(&app, 3).await;
    let query = s.query(day(4), day(5), 2);
    let offer = s.offer(&app, &query).await;
    let mut body = s.booking_request(&query, &offer, ("Ann", "Lee", "ann@example.com"));
    body["notification"]["notifyBooker"] = json!(true);
    body["notification"]["notifyProperty"] = json!(true);
    body["notification"]["notifyChannelManager"] = json!(true);
    let r = s.book(&app, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let id = r.json["id"].as_str().unwrap().to_string();
    let created = r.json["createdDate"].clone();
    assert_eq!(
        r.json["metadata"]["notifications"],
        json!([
            { "kind": "BOOKING_CONFIRMATION", "recipient": "ann@example.com", "requestedAt": created, "status": "RECORDED" },
            { "kind": "BOOKING_NOTICE", "recipient": "reservations@test-hotel.example", "requestedAt": created, "status": "RECORDED" }
        ])
    );
    let uuid: Uuid = id.parse().unwrap();
    let outbox = app.store.booking_notifications(&[uuid]).await.unwrap();
    assert_eq!(outbox.len(), 2);
    assert!(
        outbox
            .iter()
            .all(|n| n.sent_at.is_none() && n.requested_by == s.p.client_id)
    );

    // Without the flags nothing is recorded.
    let quiet = s
        .book(
            &app,
            &s.booking_request(&query, &offer, ("Bob", "Quiet", "bob@example.com")),
        )
        .await;
    assert_eq!(quiet.status, StatusCode::CREATED, "{}", quiet.json);
    assert!(
        quiet.json["metadata"].get("notifications").is_none(),
        "{}",
        quiet.json
    );
    let quiet_id: Uuid = quiet.json["id"].as_str().unwrap().parse().unwrap();
    assert!(
        app.store
            .booking_notifications(&[quiet_id])
            .await
            .unwrap()
            .is_empty()
    );

    // Resend: one more confirmation, recorded, not sent.
    let r = app
        .patch(
            &format!("{}/booking/{id}/resend", s.root()),
            &s.p.token,
            &json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["success"], true);
    let message = r.json["message"].as_str().unwrap();
    let code = body_code(&app, &s, &id).await;
    assert!(
        message.contains(&code)
            && message.contains("ann@example.com")
            && message.contains("recorded in the outbox"),
        "{message}"
    );
    let shown = show(&app, &s, &id).await;
    let notes = shown["metadata"]["notifications"].as_array().unwrap();
    assert_eq!(notes.len(), 3);
    assert_eq!(notes[2]["kind"], "BOOKING_CONFIRMATION");
    assert_eq!(notes[2]["recipient"], "ann@example.com");
    assert_eq!(shown["version"], 1, "a resend does not change the booking");
    assert_eq!(
        app.store
            .booking_notifications(&[uuid])
            .await
            .unwrap()
            .len(),
        3
    );

    // A missing or foreign booking: 404, nothing recorded.
    let other = Shop::new(&app, 1).await;
    for (root, token, booking) in [
        (s.root(), &s.p.token, Uuid::new_v4().to_string()),
        (other.root(), &other.p.token, id.clone()),
    ] {
        app.patch(
            &format!("{root}/booking/{booking}/resend"),
            token,
            &json!({}),
        )
        .await
        .problem(StatusCode::NOT_FOUND);
    }
    assert_eq!(
        app.store
            .booking_notifications(&[uuid])
            .await
            .unwrap()
            .len(),
        3
    );
}

async fn body_code(app: &TestApp, s: &Shop, id: &str) -> String {
    show(app, s, id).await["bookingCode"]
        .as_str()
        .unwrap()
        .to_string()
}

on_both_engines!(
    no_shows_and_refused_transitions,
    refund_requests,
    notifications_are_recorded
);
