//! `GET /metrics` (Prometheus text format), scraped after known traffic: requests by operation,
//! method and status, tokens, bookings, database connections, the SQLite log and memory.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use tower::ServiceExt;
use wink_api::ApiConfig;
use wink_store::Engine;

use crate::booking_lifecycle::{booked, cancel_body};
use crate::bookings::{Shop, day};
use crate::on_both_engines;
use crate::support::TestApp;

async fn scrape(app: &TestApp) -> String {
    let response = wink_api::metrics::router(app.state.clone())
        .oneshot(
            Request::builder()
                .uri("/metrics")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// The value of the sample `series` (name and labels exactly as exposed), if present.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|line| {
        let (name, value) = line.rsplit_once(' ')?;
        (name == series).then(|| value.parse().unwrap())
    })
}

fn count(text: &str, operation: &str, method: &str, status: u16) -> f64 {
    let series = format!(
        "wink_http_request_duration_seconds_count{{operation=\"{operation}\",method=\"{method}\",status=\"{status}\"}}"
    );
    sample(text, &series).unwrap_or(0.0)
}

async fn token(app: &TestApp, id: &str, secret: &str) -> StatusCode {
    let request = Request::builder()
        .method(Method::POST)
        .uri("/oauth2/token")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(
            header::AUTHORIZATION,
            format!("Basic {}", STANDARD.encode(format!("{id}:{secret}"))),
        )
        .body(Body::from("grant_type=client_credentials"))
        .unwrap();
    app.send(request).await.status
}

async fn scraped_after_traffic(app: TestApp) {
    let app = app
        .with_config(ApiConfig {
            metrics: true,
            date_window_past_days: 36_500,
            date_window_future_days: 36_500,
            ..ApiConfig::default()
        })
        .await;
    let before = scrape(&app).await;
    assert_eq!(sample(&before, "wink_tokens_issued_total"), Some(0.0));

    let s = Shop::new(&app, 1).await;
    // Tokens: two issued, one refused (wrong secret), one refused (unknown grant type).
    let client = s.p.client_id.to_string();
    assert_eq!(token(&app, &client, &s.p.secret).await, StatusCode::OK);
    assert_eq!(token(&app, &client, &s.p.secret).await, StatusCode::OK);
    assert_eq!(
        token(&app, &client, "wrong").await,
        StatusCode::UNAUTHORIZED
    );
    // Bookings: two made on the last room of different nights, one refused (sold out),
    // one cancelled.
    let query = s.query(day(2), day(4), 2);
    let offer_then = s.offer(&app, &query).await;
    let first = booked(&app, &s, day(1), day(3), ("Ann", "Lee", "ann@example.com")).await;
    booked(&app, &s, day(5), day(6), ("Bob", "Ray", "bob@example.com")).await;
    // Night 2 was taken since the offer: refused for availability when priced again.
    let refused = s.booking_request(&query, &offer_then, ("Cy", "Fox", "cy@example.com"));
    let r = s.book(&app, &refused).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.json);
    let r = app
        .patch(
            &format!(
                "{}/booking/{}/cancel",
                s.root(),
                first["id"].as_str().unwrap()
            ),
            &s.p.token,
            &cancel_body("CANCELLATION", "Plans changed"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    // Requests of known operations and outcomes.
    let list = format!("{}/booking/list", s.root());
    for _ in 0..3 {
        assert_eq!(app.get(&list, &s.p.token).await.status, StatusCode::OK);
    }
    assert_eq!(
        app.call(Method::GET, &list, None, None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/api/no/such/path", &s.p.token).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.call(Method::GET, "/health", None, None).await.status,
        StatusCode::OK
    );

    let text = scrape(&app).await;
    assert_eq!(
        count(&text, "show-hotel-bookings_1", "GET", 200),
        3.0,
        "{text}"
    );
    assert_eq!(count(&text, "show-hotel-bookings_1", "GET", 401), 1.0);
    assert_eq!(count(&text, "create-test-booking", "POST", 201), 2.0);
    assert_eq!(count(&text, "create-test-booking", "POST", 409), 1.0);
    assert_eq!(count(&text, "cancel-hotel-booking", "PATCH", 200), 1.0);
    assert_eq!(count(&text, "unmatched", "GET", 404), 1.0);
    assert_eq!(count(&text, "/health", "GET", 200), 1.0);
    // The histogram's buckets: every request is within the last one, the sum is positive.
    let inf = "wink_http_request_duration_seconds_bucket{le=\"+Inf\",operation=\"show-hotel-bookings_1\",method=\"GET\",status=\"200\"}";
    let inf_alt = "wink_http_request_duration_seconds_bucket{operation=\"show-hotel-bookings_1\",method=\"GET\",status=\"200\",le=\"+Inf\"}";
    assert_eq!(
        sample(&text, inf).or(sample(&text, inf_alt)),
        Some(3.0),
        "{text}"
    );
    assert!(
        sample(
            &text,
            "wink_http_request_duration_seconds_sum{operation=\"show-hotel-bookings_1\",method=\"GET\",status=\"200\"}"
        )
        .unwrap()
            > 0.0
    );
    assert_eq!(sample(&text, "wink_tokens_issued_total"), Some(2.0));
    assert_eq!(
        sample(&text, "wink_tokens_refused_total{error=\"invalid_client\"}"),
        Some(1.0)
    );
    assert_eq!(
        sample(&text, "wink_bookings_total{outcome=\"made\"}"),
        Some(2.0)
    );
    assert_eq!(
        sample(&text, "wink_bookings_total{outcome=\"unavailable\"}"),
        Some(1.0)
    );
    assert_eq!(
        sample(&text, "wink_bookings_total{outcome=\"cancelled\"}"),
        Some(1.0)
    );
    // Database connections, the SQLite log, memory.
    let pools: &[&str] = match app.engine {
        Engine::Sqlite => &["read", "write"],
        Engine::Postgres => &["all"],
    };
    for pool in pools {
        let idle = sample(
            &text,
            &format!("wink_db_connections{{pool=\"{pool}\",state=\"idle\"}}"),
        );
        let in_use = sample(
            &text,
            &format!("wink_db_connections{{pool=\"{pool}\",state=\"in_use\"}}"),
        );
        assert!(idle.unwrap() + in_use.unwrap() >= 1.0, "{pool}: {text}");
    }
    let wal = sample(&text, "wink_sqlite_wal_bytes").unwrap();
    match app.engine {
        Engine::Sqlite => assert!(wal > 0.0, "{text}"),
        Engine::Postgres => assert_eq!(wal, 0.0),
    }
    assert!(sample(&text, "process_resident_memory_bytes").unwrap() > 1e6);
    assert!(text.contains("# TYPE wink_http_request_duration_seconds histogram"));
    assert!(text.ends_with("# EOF\n"));
}

/// Off by default: requests are not timed (the API's own router has no `/metrics` either).
async fn off_by_default(app: TestApp) {
    let s = Shop::new(&app, 1).await;
    assert_eq!(
        app.get(&format!("{}/booking/list", s.root()), &s.p.token)
            .await
            .status,
        StatusCode::OK
    );
    let text = scrape(&app).await;
    assert!(
        !text.contains("wink_http_request_duration_seconds_count"),
        "{text}"
    );
    app.call(Method::GET, "/metrics", None, None)
        .await
        .problem(StatusCode::NOT_FOUND);
}

on_both_engines!(scraped_after_traffic, off_by_default);
