//! Limits on the secret-checking endpoints: failed authentications count against the client (or
//! the calendar feed) and the caller's address, and a caller over the limit is answered 429 with
//! `Retry-After` before any hash is checked; an unknown client costs none either. Secrets under an
//! earlier version's Argon2 hash still verify, once, and are replaced by their keyed hash.

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

/// Stored hashes (keyed or Argon2) checked by the server so far.
fn hashes_checked(app: &TestApp) -> u64 {
    app.state.auth_limits.verifier().checks()
}

fn argon2_runs(app: &TestApp) -> u64 {
    app.state.auth_limits.verifier().argon2_runs()
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
    let before = hashes_checked(&app);
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
    assert_eq!(hashes_checked(&app), before + 10);
    assert_slow_down(&token(&app, &id, "guess", attacker).await);
    assert_eq!(hashes_checked(&app), before + 10);
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

async fn unknown_clients_cost_no_hash_and_count_against_the_address(app: TestApp) {
    let good_client = app.persona(&[]).await;
    let sprayer = "203.0.113.5";
    let before = hashes_checked(&app);

    // Thirty unknown client ids (the default per address): invalid_client, and no hash checked.
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
    assert_eq!(hashes_checked(&app), before);

    // The address is now limited, for every client, a good one too.
    let r = good(&app, &good_client, sprayer).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.json);
    assert!(retry_after(&r) >= 1);
    // The same client from elsewhere is not.
    let r = good(&app, &good_client, "203.0.113.7").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    // IPv6 callers are limited by their /64: another address of the same /64 shares its count.
    // (At once: thirty answers spread out would give the address time to earn an attempt back.)
    let answers = join_all((0..30).map(|i| {
        let (app, from) = (&app, format!("2001:db8:5:5::{i:x}"));
        async move { token(app, &Uuid::new_v4().to_string(), "guess", &from).await }
    }))
    .await;
    assert!(answers.iter().all(|r| r.status == StatusCode::UNAUTHORIZED));
    let r = good(&app, &good_client, "2001:db8:5:5::ffff").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(hashes_checked(&app), before + 1);
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

    let before = hashes_checked(&app);
    for _ in 0..10 {
        feed(&app, property, "pkey_guess", attacker)
            .await
            .problem(StatusCode::UNAUTHORIZED);
    }
    assert_eq!(hashes_checked(&app), before + 10);
    let r = feed(&app, property, "pkey_guess", attacker).await;
    let problem = r.problem(StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        problem["type"],
        "urn:wink-supplier:problem:too-many-requests"
    );
    let wait = retry_after(&r);
    assert!((1..=6).contains(&wait), "Retry-After {wait}");
    // The feed is limited from anywhere, its passkey too, without a hash checked.
    feed(&app, property, &passkey, "198.51.100.9")
        .await
        .problem(StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(hashes_checked(&app), before + 10);

    // Unknown properties cost no hash checked.
    for _ in 0..5 {
        feed(&app, Uuid::new_v4(), "pkey_guess", "198.51.100.10")
            .await
            .problem(StatusCode::UNAUTHORIZED);
    }
    assert_eq!(hashes_checked(&app), before + 10);
}

/// An Argon2id PHC string of `secret`, as versions before keyed hashes stored.
fn argon2_hash(secret: &str) -> String {
    use argon2::PasswordHasher;
    use argon2::password_hash::SaltString;
    argon2::Argon2::default()
        .hash_password(
            secret.as_bytes(),
            &SaltString::generate(&mut rand::rngs::OsRng),
        )
        .unwrap()
        .to_string()
}

async fn argon2_secrets_still_work_and_are_rehashed_on_first_use(app: TestApp) {
    let persona = app.persona(&[]).await;
    let stored = app.store.application(persona.client_id).await.unwrap();
    assert!(
        stored.secret_hash.starts_with("$hmac-sha256$"),
        "{}",
        stored.secret_hash
    );
    assert!(!stored.secret_hash.contains(&persona.secret));

    // An application of an earlier version: its secret under Argon2id.
    let secret = wink_api::auth::secret::generate();
    let mut old = stored.clone();
    old.id = Uuid::new_v4();
    old.secret_hash = argon2_hash(&secret);
    app.store.create_application(&old).await.unwrap();
    let legacy = Persona {
        client_id: old.id,
        secret: secret.clone(),
        ..persona.clone()
    };
    let runs = argon2_runs(&app);
    let r = token(&app, &old.id.to_string(), "wrong", "198.51.100.20").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(argon2_runs(&app), runs + 1);
    let kept = app.store.application(old.id).await.unwrap().secret_hash;
    assert_eq!(kept, old.secret_hash, "a wrong secret rehashes nothing");
    // The first success runs Argon2 once and stores the keyed hash in its place...
    assert_eq!(
        good(&app, &legacy, "198.51.100.20").await.status,
        StatusCode::OK
    );
    assert_eq!(argon2_runs(&app), runs + 2);
    let rehashed = app.store.application(old.id).await.unwrap().secret_hash;
    assert_eq!(rehashed, app.state.hash_key.hash(&secret));
    // ...which serves from then on, without Argon2; the wrong secret stays wrong.
    for _ in 0..3 {
        assert_eq!(
            good(&app, &legacy, "198.51.100.20").await.status,
            StatusCode::OK
        );
    }
    let r = token(&app, &old.id.to_string(), "wrong", "198.51.100.20").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(argon2_runs(&app), runs + 2);

    // The calendar feed's passkey likewise.
    let property = app.property(&persona).await;
    let passkey = format!("pkey_{}", wink_api::auth::secret::generate());
    app.store
        .rotate_caldav_passkey(
            property,
            &argon2_hash(&passkey),
            persona.client_id,
            wink_store::now(),
        )
        .await
        .unwrap();
    assert_eq!(
        feed(&app, property, "pkey_wrong", "198.51.100.21")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        feed(&app, property, &passkey, "198.51.100.21").await.status,
        StatusCode::OK
    );
    assert_eq!(argon2_runs(&app), runs + 4);
    let credential = app
        .store
        .caldav_credential(property)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(credential.passkey_hash, app.state.hash_key.hash(&passkey));
    assert_eq!(
        credential.version, 1,
        "re-hashing is not a change of the credential"
    );
    assert_eq!(
        feed(&app, property, &passkey, "198.51.100.21").await.status,
        StatusCode::OK
    );
    assert_eq!(argon2_runs(&app), runs + 4);
}

on_both_engines!(
    argon2_secrets_still_work_and_are_rehashed_on_first_use,
    a_flood_of_bad_secrets_is_limited,
    unknown_clients_cost_no_hash_and_count_against_the_address,
    the_calendar_feed_is_limited,
);
