//! `Idempotency-Key` on POST sandbox/booking and PATCH booking/{id}/cancel: the first answer byte
//! for byte and the work done once; another body is 422, a key still in use 409; keys are the
//! client's own; keys of 24 hours ago are forgotten, claims of a server that stopped are taken
//! over.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::Duration;
use serde_json::{Value, json};
use tokio::task::JoinSet;
use wink_store::bookings::BookingFilter;
use wink_store::idempotency::{Claim, KeyHorizon, Receipt};

use crate::booking_lifecycle::cancel_body;
use crate::bookings::{Shop, day};
use crate::on_both_engines;
use crate::support::{TestApp, TestResponse};

/// `method path` with a JSON body, a bearer token and an optional Idempotency-Key.
fn request(
    method: Method,
    path: &str,
    token: &str,
    body: &Value,
    key: Option<&str>,
) -> Request<Body> {
    let mut r = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(key) = key {
        r = r.header("idempotency-key", key);
    }
    r.body(Body::from(serde_json::to_vec(body).unwrap()))
        .unwrap()
}

async fn bookings(app: &TestApp, s: &Shop) -> u64 {
    app.store
        .bookings(s.property, &BookingFilter::default(), 100, 0)
        .await
        .unwrap()
        .1
}

fn replayed(r: &TestResponse) -> bool {
    r.headers
        .get("idempotent-replayed")
        .is_some_and(|v| v == "true")
}

async fn same_key_same_answer(app: TestApp) {
    let s = Shop::new(&app, 3).await;
    let url = format!("{}/sandbox/booking", s.root());
    let query = s.query(day(4), day(6), 2);
    let offer = s.offer(&app, &query).await;
    let body = s.booking_request(&query, &offer, ("Ann", "Lee", "ann@example.com"));
    let token = s.p.token.clone();
    let post =
        |body: &Value, key: Option<&str>| app.send(request(Method::POST, &url, &token, body, key));

    let first = post(&body, Some("booking-1")).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.json);
    assert!(!replayed(&first));
    let again = post(&body, Some("booking-1")).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.bytes, first.bytes, "byte for byte");
    assert_eq!(again.headers["etag"], first.headers["etag"]);
    assert_eq!(again.content_type(), "application/json");
    assert!(replayed(&again));
    assert_eq!(bookings(&app, &s).await, 1, "booked once");
    assert_eq!(s.units(&app, day(4), day(5)).await, [2, 2]);

    // The same key for another request: 422, nothing booked.
    let mut other = body.clone();
    other["notification"]["booker"]["firstName"] = json!("Bob");
    let r = post(&other, Some("booking-1")).await;
    let detail = r.problem(StatusCode::UNPROCESSABLE_ENTITY)["detail"]
        .as_str()
        .unwrap();
    assert!(detail.contains("another request"), "{detail}");
    assert_eq!(bookings(&app, &s).await, 1);

    // Another application's identical key is another key.
    let colleague = app.persona_of(s.p.account_id, &[]).await;
    let r = app
        .send(request(
            Method::POST,
            &url,
            &colleague.token,
            &body,
            Some("booking-1"),
        ))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_ne!(r.json["id"], first.json["id"]);
    assert_eq!(bookings(&app, &s).await, 2);

    // Without a key every request is new.
    assert_eq!(post(&body, None).await.status, StatusCode::CREATED);
    assert_eq!(bookings(&app, &s).await, 3);
    assert_eq!(s.units(&app, day(4), day(5)).await, [0, 0]);

    // A refusal is an answer too: the sold-out 409 is replayed even once a room is free again.
    let sold_out = post(&body, Some("booking-2")).await;
    sold_out.problem(StatusCode::CONFLICT);
    let id = first.json["id"].as_str().unwrap().to_string();
    let cancel_url = format!("{}/booking/{id}/cancel", s.root());
    let cancel = cancel_body("CANCELLATION", "Plans changed");
    let cancelled = app
        .send(request(
            Method::PATCH,
            &cancel_url,
            &token,
            &cancel,
            Some("cancel-1"),
        ))
        .await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.json);
    assert_eq!(s.units(&app, day(4), day(5)).await, [1, 1]);
    let r = post(&body, Some("booking-2")).await;
    assert_eq!(
        (r.status, &r.bytes),
        (StatusCode::CONFLICT, &sold_out.bytes)
    );
    assert!(replayed(&r));
    assert_eq!(bookings(&app, &s).await, 3);

    // Cancel: the retry answers the first answer; the key with another body is 422.
    let r = app
        .send(request(
            Method::PATCH,
            &cancel_url,
            &token,
            &cancel,
            Some("cancel-1"),
        ))
        .await;
    assert_eq!((r.status, &r.bytes), (StatusCode::OK, &cancelled.bytes));
    assert!(replayed(&r));
    let r = app
        .send(request(
            Method::PATCH,
            &cancel_url,
            &token,
            &cancel_body("DUPLICATE", "Plans changed"),
            Some("cancel-1"),
        ))
        .await;
    r.problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(s.units(&app, day(4), day(5)).await, [1, 1]);

    // Keys: up to 255 characters, else 400 naming the header (and nothing is done).
    let long = "k".repeat(256);
    let r = post(&body, Some(&long)).await;
    assert_eq!(r.invalid_fields(), ["Idempotency-Key"]);
    let r = post(&body, Some("")).await;
    assert_eq!(r.invalid_fields(), ["Idempotency-Key"]);
    assert_eq!(bookings(&app, &s).await, 3);
    let longest = "k".repeat(255);
    assert_eq!(
        post(&body, Some(&longest)).await.status,
        StatusCode::CREATED
    );
    let r = post(&body, Some(&longest)).await;
    assert!(replayed(&r), "{}", r.json);
    assert_eq!(bookings(&app, &s).await, 4);

    // Other operations ignore the header.
    let r = app
        .send(request(
            Method::POST,
            &format!("{}/sandbox/room/list", s.root()),
            &token,
            &query,
            Some(&long),
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
}

/// Claims made `minutes_ago`, with the server's retention (24 h) and abandonment (10 min).
fn horizon_at(app: &TestApp, minutes_ago: i64) -> KeyHorizon {
    let now = app.state.now() - Duration::minutes(minutes_ago);
    KeyHorizon {
        now,
        expired_before: now - Duration::hours(24),
        abandoned_before: now - Duration::minutes(10),
    }
}

/// A key claimed by a request still running is 409; a claim of a server that stopped long ago is
/// taken over; a record older than 24 hours is forgotten.
async fn claims_in_progress_abandoned_and_expired(app: TestApp) {
    let s = Shop::new(&app, 3).await;
    let url = format!("{}/sandbox/booking", s.root());
    let query = s.query(day(4), day(5), 2);
    let offer = s.offer(&app, &query).await;
    let body = s.booking_request(&query, &offer, ("Ann", "Lee", "ann@example.com"));
    let bytes = serde_json::to_vec(&body).unwrap();
    let hash = wink_api::idempotency::request_hash(&Method::POST, &url, &bytes);

    // Another request holds the key right now.
    app.store
        .claim_idempotency_key(s.p.client_id, "running", &hash, true, horizon_at(&app, 0))
        .await
        .unwrap();
    let r = app
        .send(request(
            Method::POST,
            &url,
            &s.p.token,
            &body,
            Some("running"),
        ))
        .await;
    let detail = r.problem(StatusCode::CONFLICT)["detail"].as_str().unwrap();
    assert!(detail.contains("still in progress"), "{detail}");
    assert_eq!(r.headers["retry-after"], "1");
    assert_eq!(bookings(&app, &s).await, 0);

    // Claimed 11 minutes ago and never finished: the server stopped. A test booking stores its
    // answer with the booking, so an unfinished claim proves nothing was booked: the key is free.
    app.store
        .claim_idempotency_key(s.p.client_id, "stopped", &hash, true, horizon_at(&app, 11))
        .await
        .unwrap();
    let r = app
        .send(request(
            Method::POST,
            &url,
            &s.p.token,
            &body,
            Some("stopped"),
        ))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert!(!replayed(&r));
    assert_eq!(bookings(&app, &s).await, 1);

    // Finished 25 hours ago: forgotten, the request is new.
    let old = horizon_at(&app, 25 * 60);
    let Claim::Claimed(claim) = app
        .store
        .claim_idempotency_key(s.p.client_id, "yesterday", &hash, false, old)
        .await
        .unwrap()
    else {
        panic!("a new key is claimed")
    };
    app.store
        .complete_idempotency_key(&Receipt {
            claim,
            status: 201,
            headers: wink_store::Json(json!({})),
            body: b"{}".to_vec(),
        })
        .await
        .unwrap();
    let r = app
        .send(request(
            Method::POST,
            &url,
            &s.p.token,
            &body,
            Some("yesterday"),
        ))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert!(!replayed(&r));
    assert_eq!(bookings(&app, &s).await, 2);
    // The purge forgets everything that old.
    app.store
        .claim_idempotency_key(s.p.client_id, "ancient", &hash, false, old)
        .await
        .unwrap();
    app.store
        .purge_idempotency_keys(app.state.now() - Duration::hours(24))
        .await
        .unwrap();
    // Gone: a claim with a horizon that would still count it (abandoned, not expired) is new.
    let far = KeyHorizon {
        now: app.state.now(),
        expired_before: app.state.now() - Duration::days(30),
        abandoned_before: app.state.now() - Duration::days(30),
    };
    let claim = app
        .store
        .claim_idempotency_key(s.p.client_id, "ancient", "another", false, far)
        .await
        .unwrap();
    assert!(matches!(claim, Claim::Claimed(_)), "{claim:?}");
}

/// Many copies of the same request with the same key at once, over TCP: one booking, one
/// cancellation; every other answer is the first one replayed, or 409 while it runs.
async fn concurrent_retries_do_the_work_once(app: TestApp) {
    const COPIES: usize = 16;
    let s = Shop::new(&app, 5).await;
    let query = s.query(day(4), day(6), 2);
    let offer = s.offer(&app, &query).await;
    let body = s.booking_request(&query, &offer, ("Ann", "Lee", "ann@example.com"));

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app.router.clone();
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let client = reqwest::Client::new();

    let fire = |method: reqwest::Method, url: String, body: Value, key: &'static str| {
        let mut tasks = JoinSet::new();
        for _ in 0..COPIES {
            let (client, url, body, token, method) = (
                client.clone(),
                url.clone(),
                body.clone(),
                s.p.token.clone(),
                method.clone(),
            );
            tasks.spawn(async move {
                let r = client
                    .request(method, &url)
                    .bearer_auth(token)
                    .header("idempotency-key", key)
                    .json(&body)
                    .send()
                    .await
                    .expect("the server answers");
                let status = r.status().as_u16();
                let bytes = r.bytes().await.unwrap().to_vec();
                (status, bytes)
            });
        }
        tasks
    };
    let outcomes = |mut tasks: JoinSet<(u16, Vec<u8>)>, success: u16| async move {
        let mut answers = Vec::new();
        let mut in_progress = 0;
        while let Some(done) = tasks.join_next().await {
            let (status, bytes) = done.unwrap();
            match status {
                409 => {
                    let problem: Value = serde_json::from_slice(&bytes).unwrap();
                    assert!(
                        problem["detail"]
                            .as_str()
                            .unwrap()
                            .contains("still in progress"),
                        "{problem}"
                    );
                    in_progress += 1;
                }
                s if s == success => answers.push(bytes),
                other => panic!("unexpected {other}: {}", String::from_utf8_lossy(&bytes)),
            }
        }
        assert!(!answers.is_empty());
        assert!(
            answers.iter().all(|a| *a == answers[0]),
            "identical answers"
        );
        assert_eq!(answers.len() + in_progress, COPIES);
        answers.remove(0)
    };

    let url = format!("http://{addr}{}/sandbox/booking", s.root());
    let booked = outcomes(fire(reqwest::Method::POST, url, body, "same-booking"), 201).await;
    assert_eq!(bookings(&app, &s).await, 1);
    assert_eq!(s.units(&app, day(4), day(5)).await, [4, 4]);

    let id = serde_json::from_slice::<Value>(&booked).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let url = format!("http://{addr}{}/booking/{id}/cancel", s.root());
    let cancelled = outcomes(
        fire(
            reqwest::Method::PATCH,
            url,
            cancel_body("CANCELLATION", "Plans changed"),
            "same-cancel",
        ),
        200,
    )
    .await;
    let cancelled: Value = serde_json::from_slice(&cancelled).unwrap();
    assert_eq!(cancelled["bookingStatus"], "CANCELLED");
    assert_eq!(cancelled["version"], 2, "cancelled once");
    assert_eq!(s.units(&app, day(4), day(5)).await, [5, 5]);
    server.abort();
}

/// A client that gives up on a keyed booking at any moment (its request future dropped: the
/// client hung up, or the request timed out), then retries with the same key until it gets an
/// answer: every key books exactly once, whenever the first attempt was cut off.
async fn answers_lost_after_commit_are_replayed(app: TestApp) {
    const KEYS: u32 = 24;
    let s = Shop::new(&app, 40).await;
    let url = format!("{}/sandbox/booking", s.root());
    let query = s.query(day(4), day(5), 2);
    let offer = s.offer(&app, &query).await;
    let body = s.booking_request(&query, &offer, ("Ann", "Lee", "ann@example.com"));
    let token = s.p.token.clone();
    let send = |key: String| app.send(request(Method::POST, &url, &token, &body, Some(&key)));

    // How long one booking takes here, to cut the first attempts off across all of it.
    let started = std::time::Instant::now();
    assert_eq!(send("measure".into()).await.status, StatusCode::CREATED);
    let whole = started.elapsed();

    let mut ids = std::collections::BTreeSet::new();
    for i in 0..KEYS {
        let key = format!("cut-{i}");
        let cut_at = whole * i / (KEYS - 4);
        let _ = tokio::time::timeout(cut_at, send(key.clone())).await;
        let answer = loop {
            let r = send(key.clone()).await;
            if r.status != StatusCode::CONFLICT {
                break r;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        };
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.json);
        ids.insert(answer.json["id"].as_str().unwrap().to_string());
    }
    assert_eq!(ids.len(), KEYS as usize, "one booking per key");
    assert_eq!(
        bookings(&app, &s).await,
        u64::from(KEYS) + 1,
        "no key booked twice"
    );
}

/// Every write honours the key, not only bookings: a room type created twice with one key
/// exists once and the retry gets the first answer; another body with the key is 422. Reads
/// ignore it.
async fn every_write_honours_the_key(app: TestApp) {
    let s = Shop::new(&app, 3).await;
    let url = format!("{}/facility/room-type", s.root());
    let token = s.p.token.clone();
    let room = crate::fixtures::room_type("Garden Suite", 2);
    let post =
        |body: &Value, key: &str| app.send(request(Method::POST, &url, &token, body, Some(key)));
    let first = post(&room, "room-1").await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.json);
    let again = post(&room, "room-1").await;
    assert!(replayed(&again));
    assert_eq!(again.bytes, first.bytes);
    let list = app
        .get(&format!("{}/facility/room-type/list", s.root()), &token)
        .await;
    let named = |list: &Value| {
        list.as_array()
            .unwrap()
            .iter()
            .filter(|r| r["name"] == "Garden Suite")
            .count()
    };
    assert_eq!(named(&list.json), 1, "{}", list.json);
    let mut other = room.clone();
    other["name"] = json!("Pool Suite");
    post(&other, "room-1")
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    let list = app
        .get(&format!("{}/facility/room-type/list", s.root()), &token)
        .await;
    assert_eq!(named(&list.json), 1);
    assert!(!list.json.to_string().contains("Pool Suite"));

    // A POST that only reads (test availability) ignores the key: no replay.
    let q = s.query(day(4), day(5), 2);
    let list_url = format!("{}/sandbox/room/list", s.root());
    let a = app
        .send(request(Method::POST, &list_url, &token, &q, Some("read")))
        .await;
    let b = app
        .send(request(Method::POST, &list_url, &token, &q, Some("read")))
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(!replayed(&b));
}

/// A claim of a write that is not safe to repeat is never taken over, however old: the request
/// may have done its work before the server stopped.
async fn other_abandoned_claims_are_not_taken_over(app: TestApp) {
    let s = Shop::new(&app, 3).await;
    let url = format!("{}/facility/room-type", s.root());
    let room = crate::fixtures::room_type("Garden Suite", 2);
    let bytes = serde_json::to_vec(&room).unwrap();
    let hash = wink_api::idempotency::request_hash(&Method::POST, &url, &bytes);
    app.store
        .claim_idempotency_key(s.p.client_id, "stopped", &hash, false, horizon_at(&app, 30))
        .await
        .unwrap();
    let r = app
        .send(request(
            Method::POST,
            &url,
            &s.p.token,
            &room,
            Some("stopped"),
        ))
        .await;
    r.problem(StatusCode::CONFLICT);
    let list = app
        .get(&format!("{}/facility/room-type/list", s.root()), &s.p.token)
        .await;
    assert!(!list.json.to_string().contains("Garden Suite"));
}

on_both_engines!(
    same_key_same_answer,
    claims_in_progress_abandoned_and_expired,
    concurrent_retries_do_the_work_once,
    answers_lost_after_commit_are_replayed,
    every_write_honours_the_key,
    other_abandoned_claims_are_not_taken_over
);
