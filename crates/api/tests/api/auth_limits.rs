//! Limits on the secret-checking endpoints: failed authentications count against the client (or
//! the calendar feed) and the caller's address, and a caller over the limit is answered 429 with
//! `Retry-After` before any Argon2 run; an unknown client costs none either.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode, header};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use futures_util::future::join_all;
use uuid::Uuid;

use crate::on_both_engines;
use crate::support::{Persona, TestApp, TestResponse, base};

fn basic(user: &str, password: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{user}:{password}")))
}

/// `POST /oauth2/token` as `id`:`secret` from `from` (the TCP peer a server would see).
async fn token(app: &TestApp, id: &str, secret: &str, from: &str) -> TestResponse {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri("/oauth2/token")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::AUTHORIZATION, basic(id, secret))
        .body(Body::from("grant_type=client_credentials"))
        .unwrap();
    request.extensions_mut().insert(peer(from));
    app.send(request).await
}

async fn feed(app: &TestApp, property: Uuid, passkey: &str, from: &str) -> TestResponse {
    let mut request = Request::builder()
        .uri(format!("/api/cal/property/{property}/booking/list"))
        .header(header::AUTHORIZATION, basic(&property.to_string(), passkey))
        .body(Body::empty())
        .unwrap();
    request.extensions_mut().insert(peer(from));
    app.send(request).await
}

/// What axum's `into_make_service_with_connect_info` puts in a request served over TCP.
fn peer(ip: &str) -> ConnectInfo<SocketAddr> {
    ConnectInfo(SocketAddr::new(ip.parse().unwrap(), 40000))
}

fn argon2_runs(app: &TestApp) -> u64 {
    app.state.auth_limits.verifier().runs()
}

fn retry_after(r: &TestResponse) -> u64 {
    r.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

fn assert_slow_down(r: &TestResponse) {
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.json);
    assert_eq!(r.json["error"], "slow_down");
    assert_eq!(r.headers[header::CACHE_CONTROL], "no-store");
    // Ten failures a minute: one more attempt every six seconds.
    let wait = retry_after(r);
    assert!((1..=6).contains(&wait), "Retry-After {wait}");
}

async fn good(app: &TestApp, persona: &Persona, from: &str) -> TestResponse {
    token(app, &persona.client_id.to_string(), &persona.secret, from).await
}

async fn a_flood_of_bad_secrets_is_limited(app: TestApp) {
    let victim = app.persona(&[]).await;
    let other = app.persona(&[]).await;
    let id = victim.client_id.to_string();
    let attacker = "192.0.2.66";

    // Twenty-five bad secrets at once: ten (the default per client) are tried, each a real
    // verification; the rest are answered 429 with Retry-After without one. Attempts count
    // when admitted, so a burst cannot slip in before the first failure is known.
    let before = argon2_runs(&app);
    let answers = join_all((0..25).map(|_| token(&app, &id, "guess", attacker))).await;
    let refused: Vec<_> = answers
        .iter()
        .filter(|r| r.status == StatusCode::TOO_MANY_REQUESTS)
        .collect();
    let failed = answers
        .iter()
        .filter(|r| r.status == StatusCode::UNAUTHORIZED && r.json["error"] == "invalid_client")
        .count();
    assert_eq!((failed, refused.len()), (10, 15));
    refused.iter().for_each(|r| assert_slow_down(r));
    assert_eq!(argon2_runs(&app), before + 10);
    assert_slow_down(&token(&app, &id, "guess", attacker).await);
    assert_eq!(argon2_runs(&app), before + 10);
    // The client is limited from any address, even with its secret, until the wait is over.
    assert_slow_down(&good(&app, &victim, "198.51.100.1").await);

    // Another client, from another address, is served as usual; successes do not count, so
    // it may ask more often than the failure limits.
    for _ in 0..35 {
        let r = good(&app, &other, "198.51.100.2").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.json);
        assert!(r.json["access_token"].is_string());
    }
}

async fn unknown_clients_cost_no_argon2_and_count_against_the_address(app: TestApp) {
    let good_client = app.persona(&[]).await;
    let sprayer = "203.0.113.5";
    let before = argon2_runs(&app);

    // Thirty unknown client ids (the default per address): invalid_client, and no Argon2 run.
    let answers = join_all((0..30).map(|_| {
        let id = Uuid::new_v4().to_string();
        let app = &app;
        async move { token(app, &id, "guess", sprayer).await }
    }))
    .await;
    for r in &answers {
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.json);
        assert_eq!(r.json["error"], "invalid_client");
    }
    // A client id that is not even a UUID answers the same.
    let r = token(&app, "not-a-client", "guess", "203.0.113.6").await;
    assert_eq!(r.json["error"], "invalid_client");
    assert_eq!(argon2_runs(&app), before);

    // The address is now limited, for every client, a good one too.
    let r = good(&app, &good_client, sprayer).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.json);
    assert!(retry_after(&r) >= 1);
    // The same client from elsewhere is not.
    let r = good(&app, &good_client, "203.0.113.7").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    // IPv6 callers are limited by their /64: another address of the same /64 shares its count.
    // (At once: unknown clients are answered after the typical verification time, and thirty
    // of those in a row would give the address time to earn an attempt back.)
    let answers = join_all((0..30).map(|i| {
        let (app, from) = (&app, format!("2001:db8:5:5::{i:x}"));
        async move { token(app, &Uuid::new_v4().to_string(), "guess", &from).await }
    }))
    .await;
    assert!(answers.iter().all(|r| r.status == StatusCode::UNAUTHORIZED));
    let r = good(&app, &good_client, "2001:db8:5:5::ffff").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(argon2_runs(&app), before + 1);
}

async fn the_calendar_feed_is_limited(app: TestApp) {
    let persona = app.persona(&[]).await;
    let property = app.property(&persona).await;
    let r = app
        .get(
            &format!("{}/caldav/auth/regen", base(property)),
            &persona.token,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let passkey = r.json["passkey"].as_str().unwrap().to_string();
    let attacker = "192.0.2.99";

    let before = argon2_runs(&app);
    for _ in 0..10 {
        feed(&app, property, "pkey_guess", attacker)
            .await
            .problem(StatusCode::UNAUTHORIZED);
    }
    assert_eq!(argon2_runs(&app), before + 10);
    let r = feed(&app, property, "pkey_guess", attacker).await;
    let problem = r.problem(StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        problem["type"],
        "urn:wink-supplier:problem:too-many-requests"
    );
    let wait = retry_after(&r);
    assert!((1..=6).contains(&wait), "Retry-After {wait}");
    // The feed is limited from anywhere, its passkey too, without an Argon2 run.
    feed(&app, property, &passkey, "198.51.100.9")
        .await
        .problem(StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(argon2_runs(&app), before + 10);

    // Unknown properties cost no Argon2 run.
    for _ in 0..5 {
        feed(&app, Uuid::new_v4(), "pkey_guess", "198.51.100.10")
            .await
            .problem(StatusCode::UNAUTHORIZED);
    }
    assert_eq!(argon2_runs(&app), before + 10);
}

on_both_engines!(
    a_flood_of_bad_secrets_is_limited,
    unknown_clients_cost_no_argon2_and_count_against_the_address,
    the_calendar_feed_is_limited,
);
