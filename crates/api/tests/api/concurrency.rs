//! The last rooms, booked by many clients at once over real TCP: exactly as many bookings as
//! rooms succeed, every other one is refused with a problem, availability never goes below zero.

use axum::http::StatusCode;
use serde_json::{Value, json};
use tokio::task::JoinSet;

use crate::bookings::{Shop, day};
use crate::on_both_engines;
use crate::support::TestApp;

const CLIENTS: usize = 50;
const ROOMS_LEFT: u32 = 3;

async fn last_rooms_are_sold_once(app: TestApp) {
    let s = Shop::new(&app, 5).await;
    let (a, d) = (day(5), day(8));
    // 3 rooms left on the stay's nights; more on the departure night.
    s.rates(
        &app,
        a,
        d - chrono::Days::new(1),
        json!({ "numberOfUnits": ROOMS_LEFT }),
    )
    .await;
    let query = s.query(a, d, 2);
    let offer = s.offer(&app, &query).await;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app.router.clone();
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let client = reqwest::Client::new();
    let url = format!("http://{addr}{}/sandbox/booking", s.root());

    let mut tasks = JoinSet::new();
    for i in 0..CLIENTS {
        let body = s.booking_request(
            &query,
            &offer,
            (
                "Guest",
                &format!("Number{i}"),
                &format!("guest{i}@example.com"),
            ),
        );
        let (client, url, token) = (client.clone(), url.clone(), s.p.token.clone());
        tasks.spawn(async move {
            let r = client
                .post(&url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .expect("the server answers");
            let status = r.status().as_u16();
            let content_type = r
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            let json: Value = r.json().await.unwrap_or(Value::Null);
            (status, content_type, json)
        });
    }
    let mut created = Vec::new();
    let mut refused = 0;
    while let Some(answer) = tasks.join_next().await {
        let (status, content_type, json) = answer.unwrap();
        match status {
            201 => created.push(json["id"].as_str().unwrap().to_string()),
            409 => {
                assert_eq!(content_type, "application/problem+json");
                assert_eq!(json["status"], 409);
                let detail = json["detail"].as_str().unwrap();
                assert!(
                    detail.contains("sold out on") || detail.contains("rooms left"),
                    "{detail}"
                );
                refused += 1;
            }
            other => panic!("unexpected {other}: {json}"),
        }
    }
    assert_eq!(
        (created.len(), refused),
        (ROOMS_LEFT as usize, CLIENTS - ROOMS_LEFT as usize)
    );
    assert_eq!(s.units(&app, a, d).await, [0, 0, 0, 5]);
    let list = app
        .get(&format!("{}/booking/list", s.root()), &s.p.token)
        .await;
    assert_eq!(list.json["totalElements"], ROOMS_LEFT);

    // Cancelling one gives its room back on every night.
    let r = app
        .patch(
            &format!("{}/booking/{}/cancel", s.root(), created[0]),
            &s.p.token,
            &json!({ "cancellationType": "CANCELLATION", "reason": "Plans changed" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(s.units(&app, a, d).await, [1, 1, 1, 5]);
    server.abort();
}

/// A booking sent together with the deletion of its rate plan (or of its room type): never both
/// succeed, and a booking that succeeded keeps its rate plan or room type alive.
async fn a_booking_and_the_deletion_of_its_parents_never_both_succeed(app: TestApp) {
    const ROUNDS: usize = 6;
    for round in 0..ROUNDS {
        let s = Shop::new(&app, 5).await;
        let query = s.query(day(4), day(6), 2);
        let offer = s.offer(&app, &query).await;
        let body = s.booking_request(&query, &offer, ("Ann", "Lee", "ann@example.com"));
        let parent = if round % 2 == 0 {
            format!("{}/rate-plan/{}", s.root(), s.plan)
        } else {
            format!("{}/facility/room-type/{}", s.root(), s.room)
        };
        let (booked, deleted) = tokio::join!(s.book(&app, &body), app.delete(&parent, &s.p.token));
        let booked_ok = booked.status == StatusCode::CREATED;
        let deleted_ok = deleted.status.is_success();
        assert!(
            !(booked_ok && deleted_ok),
            "round {round}: booked {} and deleted {} ({parent})",
            booked.json,
            deleted.json
        );
        assert!(
            booked_ok || deleted_ok,
            "one of them wins: {} / {}",
            booked.json,
            deleted.json
        );
        if booked_ok {
            assert_eq!(deleted.status, StatusCode::CONFLICT, "{}", deleted.json);
        } else {
            // Refused in its transaction (409), or it read the catalog after the deletion and
            // found no such master rate (400).
            assert!(
                [StatusCode::CONFLICT, StatusCode::BAD_REQUEST].contains(&booked.status),
                "{}",
                booked.json
            );
        }
    }
}

/// The booking's transaction checks the rates its quote was made of: a price, stop-sell or
/// restriction committed between the quote and the booking refuses it (nothing is taken).
async fn rates_changed_since_the_quote_refuse_the_booking(app: TestApp) {
    use wink_store::bookings::{Booked, QuotedFrom};
    let s = Shop::new(&app, 5).await;
    let (a, d) = (day(4), day(6));
    let query = s.query(a, d, 2);
    let offer = s.offer(&app, &query).await;
    let body = s.booking_request(&query, &offer, ("Ann", "Lee", "ann@example.com"));
    let first = s.book(&app, &body).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.json);
    let id: uuid::Uuid = first.json["id"].as_str().unwrap().parse().unwrap();
    let template = app.store.booking(s.property, id).await.unwrap();
    let master: uuid::Uuid = s.master.parse().unwrap();
    let quoted = |inputs: wink_store::bookings::StayInputs| QuotedFrom {
        nights: inputs
            .nights
            .into_iter()
            .filter(|n| n.master_rate_id == master)
            .collect(),
    };
    let stale = quoted(app.store.stay_inputs(s.property, a, d).await.unwrap());
    let another = |code: &str| {
        let mut b = template.clone();
        b.id = uuid::Uuid::new_v4();
        b.code = code.to_string();
        b
    };
    // The hotel stops selling the first night after the quote.
    s.rates(&app, a, a, json!({ "master": false })).await;
    let now = quoted(app.store.stay_inputs(s.property, a, d).await.unwrap());
    assert_ne!(now, stale, "the stop-sell is stored");
    let refused = app
        .store
        .create_booking(&another("WB-TEST-0001"), &stale, &[], None)
        .await;
    assert!(
        matches!(&refused, Err(wink_store::StoreError::Conflict(m)) if m.contains("changed since it was quoted")),
        "{refused:?}"
    );
    assert_eq!(s.units(&app, a, d).await, [4, 4, 5], "nothing taken");
    // Quoted from what is stored now, the same booking goes through.
    let fresh = quoted(app.store.stay_inputs(s.property, a, d).await.unwrap());
    let booked = app
        .store
        .create_booking(&another("WB-TEST-0002"), &fresh, &[], None)
        .await
        .unwrap();
    assert!(matches!(booked, Booked::Stored(_)));
    assert_eq!(s.units(&app, a, d).await, [3, 3, 5]);
}

/// The last 3 rooms booked by many clients while as many others write back the "3 left" they
/// read before: exactly 3 bookings succeed (an absolute write sets the capacity, it never hands
/// back a booked room), and nothing is left afterwards.
async fn stale_absolute_writes_racing_bookings_never_oversell(app: TestApp) {
    let s = Shop::new(&app, 5).await;
    let (a, d) = (day(5), day(7));
    let last = d - chrono::Days::new(1);
    s.rates(&app, a, last, json!({ "numberOfUnits": ROOMS_LEFT }))
        .await;
    let read = s.units(&app, a, last).await;
    assert_eq!(read, [i64::from(ROOMS_LEFT); 2]);
    let query = s.query(a, d, 2);
    let offer = s.offer(&app, &query).await;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app.router.clone();
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let client = reqwest::Client::new();
    let root = format!("http://{addr}{}", s.root());
    let mut tasks = JoinSet::new();
    for i in 0..CLIENTS {
        let (client, root, token) = (client.clone(), root.clone(), s.p.token.clone());
        let request = if i % 2 == 0 {
            let body = s.booking_request(
                &query,
                &offer,
                (
                    "Guest",
                    &format!("Number{i}"),
                    &format!("guest{i}@example.com"),
                ),
            );
            client.post(format!("{root}/sandbox/booking")).json(&body)
        } else {
            let body = json!({ "startDate": a, "endDate": last, "rateSource": "TRAVELIKO",
                               "master": true, "closedOnArrival": false, "closedOnDeparture": false,
                               "numberOfUnits": read[0] });
            client
                .put(format!("{root}/master-rate/{}/rate/bulk", s.master))
                .json(&body)
        };
        tasks.spawn(async move {
            let r = request
                .bearer_auth(token)
                .send()
                .await
                .expect("the server answers");
            (i % 2 == 0, r.status().as_u16())
        });
    }
    let mut booked = 0;
    while let Some(answer) = tasks.join_next().await {
        match answer.unwrap() {
            (true, 201) => booked += 1,
            (true, 409) | (false, 200) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(booked, ROOMS_LEFT as usize, "exactly the rooms there were");
    assert_eq!(s.units(&app, a, last).await, [0, 0]);
    server.abort();
}

on_both_engines!(
    stale_absolute_writes_racing_bookings_never_oversell,
    last_rooms_are_sold_once,
    a_booking_and_the_deletion_of_its_parents_never_both_succeed,
    rates_changed_since_the_quote_refuse_the_booking
);

/// The soak test's clients, room type units and nights.
const SOAK_CLIENTS: usize = 200;
const SOAK_UNITS: i64 = 5;
const SOAK_NIGHTS: u64 = 10;

/// `WINK_SOAK_SECONDS`, default 60.
fn soak_seconds() -> u64 {
    std::env::var("WINK_SOAK_SECONDS")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(60)
}

/// 200 clients book and cancel overlapping stays (1 to 3 nights over 10 nights) at random on a
/// room type with 5 rooms, over TCP, for `WINK_SOAK_SECONDS`. While they run, a sampler reads
/// the counters beside the rooms held by bookings (one consistent snapshot each time): on every
/// night and at every sample, rooms held + rooms for sale = 5 and never more than 5 are held.
/// Meanwhile a channel manager keeps writing the capacity (5, absolute) over the same nights.
/// Afterwards the counters equal 5 less the rooms of the bookings that are not cancelled,
/// recounted from the booking rows, and every answered booking and cancellation is stored.
async fn soak(app: TestApp) {
    use rand::{Rng, SeedableRng};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::{Duration, Instant};

    let seconds = soak_seconds();
    let s = Shop::new(&app, SOAK_UNITS as u32).await;
    let room: uuid::Uuid = s.room.parse().unwrap();
    let (first, last) = (day(1), day(SOAK_NIGHTS));
    // The request of every stay in the window, priced while every room is free.
    let mut stays = Vec::new();
    for start in 1..=SOAK_NIGHTS {
        for nights in 1..=3 {
            if start + nights <= SOAK_NIGHTS + 1 {
                let query = s.query(day(start), day(start + nights), 2);
                let offer = s.offer(&app, &query).await;
                stays.push(s.booking_request(
                    &query,
                    &offer,
                    ("Soak", "Guest", "soak@example.com"),
                ));
            }
        }
    }
    let stays = Arc::new(stays);

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app.router.clone();
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(SOAK_CLIENTS)
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let root = format!("http://{addr}{}", s.root());

    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (store, stop) = (app.store.clone(), stop.clone());
        tokio::spawn(async move {
            let mut samples = 0u64;
            while !stop.load(Ordering::Relaxed) {
                for night in store.availability_audit(room, first, last).await.unwrap() {
                    assert!(night.units >= 0, "{night:?}");
                    assert!(night.held <= SOAK_UNITS, "oversold: {night:?}");
                    assert_eq!(i64::from(night.units) + night.held, SOAK_UNITS, "{night:?}");
                    assert_eq!(i64::from(night.sold), night.held, "{night:?}");
                    assert_eq!(i64::from(night.capacity), SOAK_UNITS, "{night:?}");
                }
                samples += 1;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            samples
        })
    };

    let deadline = Instant::now() + Duration::from_secs(seconds);
    // A channel manager that keeps writing the capacity it was given (absolute, as from a read
    // made before any booking): it must never give back a room a booking holds.
    let resetter = {
        let (http, root, token, master) = (
            http.clone(),
            root.clone(),
            s.p.token.clone(),
            s.master.clone(),
        );
        tokio::spawn(async move {
            let mut writes = 0u64;
            while Instant::now() < deadline {
                let r = http
                    .put(format!("{root}/master-rate/{master}/rate/bulk"))
                    .bearer_auth(&token)
                    .json(&json!({ "startDate": first, "endDate": last, "rateSource": "TRAVELIKO",
                                   "master": true, "closedOnArrival": false, "closedOnDeparture": false,
                                   "numberOfUnits": SOAK_UNITS }))
                    .send()
                    .await
                    .expect("the server answers");
                match r.status().as_u16() {
                    200 => writes += 1,
                    503 => {}
                    other => panic!(
                        "capacity write: unexpected {other}: {}",
                        r.text().await.unwrap_or_default()
                    ),
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            writes
        })
    };
    let mut clients = JoinSet::new();
    for client in 0..SOAK_CLIENTS {
        let (http, root, token, stays) =
            (http.clone(), root.clone(), s.p.token.clone(), stays.clone());
        clients.spawn(async move {
            let mut rng = rand::rngs::StdRng::seed_from_u64(client as u64);
            let mut mine: Vec<String> = Vec::new();
            let (mut booked, mut cancelled, mut refused, mut unavailable) =
                (0u64, 0u64, 0u64, 0u64);
            while Instant::now() < deadline {
                if mine.is_empty() || rng.gen_bool(0.6) {
                    let mut body = stays[rng.gen_range(0..stays.len())].clone();
                    body["notification"]["booker"]["lastName"] = json!(format!("Client{client}"));
                    let r = http
                        .post(format!("{root}/sandbox/booking"))
                        .bearer_auth(&token)
                        .json(&body)
                        .send()
                        .await
                        .expect("the server answers");
                    let status = r.status().as_u16();
                    let json: Value = r.json().await.unwrap_or(Value::Null);
                    match status {
                        201 => {
                            mine.push(json["id"].as_str().unwrap().to_string());
                            booked += 1;
                        }
                        409 => refused += 1,
                        503 => unavailable += 1,
                        other => panic!("booking: unexpected {other}: {json}"),
                    }
                } else {
                    let id = mine.swap_remove(rng.gen_range(0..mine.len()));
                    let r = http
                        .patch(format!("{root}/booking/{id}/cancel"))
                        .bearer_auth(&token)
                        .json(&json!({ "cancellationType": "CANCELLATION", "reason": "soak" }))
                        .send()
                        .await
                        .expect("the server answers");
                    match r.status().as_u16() {
                        200 => cancelled += 1,
                        503 => {
                            unavailable += 1;
                            mine.push(id);
                        }
                        other => panic!(
                            "cancel: unexpected {other}: {}",
                            r.text().await.unwrap_or_default()
                        ),
                    }
                }
            }
            (booked, cancelled, refused, unavailable)
        });
    }
    let (mut booked, mut cancelled, mut refused, mut unavailable) = (0, 0, 0, 0);
    while let Some(done) = clients.join_next().await {
        let (b, c, r, u) = done.unwrap();
        (booked, cancelled, refused, unavailable) =
            (booked + b, cancelled + c, refused + r, unavailable + u);
    }
    stop.store(true, Ordering::Relaxed);
    let samples = sampler.await.expect("the invariants held at every sample");
    let writes = resetter.await.expect("the capacity writer ran");
    assert!(writes > 0, "the capacity was written during the soak");
    server.abort();
    let requests = booked + cancelled + refused + unavailable;
    eprintln!(
        "soak ({:?}, {seconds} s, {SOAK_CLIENTS} clients): {requests} requests, {booked} booked, \
         {cancelled} cancelled, {refused} refused (sold out), {unavailable} unavailable, {samples} samples",
        app.engine
    );
    assert!(
        booked > 0 && cancelled > 0 && refused > 0,
        "the clients met contention"
    );
    assert!(
        unavailable * 100 <= requests,
        "more than 1 % of requests answered 503"
    );
    assert!(samples > 0);

    // Afterwards: the stored bookings are those answered, and the counters are what they hold.
    let (rows, total) = app
        .store
        .bookings(
            s.property,
            &wink_store::bookings::BookingFilter::default(),
            100_000,
            0,
        )
        .await
        .unwrap();
    assert_eq!(total, booked);
    assert_eq!(
        rows.iter().filter(|b| b.cancelled_at.is_some()).count() as u64,
        cancelled
    );
    let mut held_by_rows = std::collections::BTreeMap::new();
    for b in rows.iter().filter(|b| b.cancelled_at.is_none()) {
        for night in b.arrival.iter_days().take_while(|n| *n < b.departure) {
            *held_by_rows.entry(night).or_insert(0i64) += i64::from(b.quantity);
        }
    }
    let audit = app
        .store
        .availability_audit(room, first, last)
        .await
        .unwrap();
    assert_eq!(audit.len() as u64, SOAK_NIGHTS);
    for night in audit {
        let held = held_by_rows.get(&night.day).copied().unwrap_or(0);
        assert_eq!(
            night.held, held,
            "booking_nights vs booking rows on {}",
            night.day
        );
        assert_eq!(
            i64::from(night.units),
            SOAK_UNITS - held,
            "counter on {}",
            night.day
        );
        assert!(held <= SOAK_UNITS);
    }
}

mod soak {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "soak test: 200 clients for WINK_SOAK_SECONDS (default 60) s; .ci/run runs it on both engines"]
    async fn sqlite() {
        super::soak(crate::support::TestApp::sqlite().await).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "soak test: needs PostgreSQL (WINK_TEST_POSTGRES_URL); .ci/run runs it on both engines"]
    async fn postgres() {
        super::soak(crate::support::TestApp::postgres().await).await;
    }
}
