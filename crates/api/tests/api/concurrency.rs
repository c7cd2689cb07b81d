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

/// Two updates of the same room type sent at once with the same version: one is applied (200),
/// the other refused (409), and what is stored is the winner's body whole: no field of the loser
/// slips in, none of the winner's is lost.
async fn two_puts_with_the_same_version_never_merge(app: TestApp) {
    const ROUNDS: usize = 8;
    let s = Shop::new(&app, 5).await;
    let one = format!("{}/facility/room-type/{}", s.root(), s.room);
    for round in 0..ROUNDS {
        let version = app.get(&one, &s.p.token).await.json["version"]
            .as_i64()
            .unwrap();
        // Each side changes a different field (and the name), so a merge would show.
        let mut left = crate::fixtures::room_type(&format!("Left {round}"), 5);
        left["size"] = json!(40.0 + round as f64);
        left["version"] = json!(version);
        let mut right = crate::fixtures::room_type(&format!("Right {round}"), 5);
        right["bathroomCount"] = json!(2);
        right["version"] = json!(version);
        let (l, r) = tokio::join!(
            app.put(&one, &s.p.token, &left),
            app.put(&one, &s.p.token, &right)
        );
        let mut statuses = [l.status, r.status];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::OK, StatusCode::CONFLICT],
            "round {round}: {} / {}",
            l.json,
            r.json
        );
        let (winner, loser) = if l.status == StatusCode::OK {
            (&l, &r)
        } else {
            (&r, &l)
        };
        loser.problem(StatusCode::CONFLICT);
        let stored = app.get(&one, &s.p.token).await.json;
        assert_eq!(stored, winner.json, "round {round}");
        assert_eq!(stored["version"], version + 1);
        if l.status == StatusCode::OK {
            assert_eq!(
                (&stored["size"], &stored["bathroomCount"]),
                (&json!(40.0 + round as f64), &json!(1))
            );
        } else {
            assert_eq!(
                (&stored["size"], &stored["bathroomCount"]),
                (&json!(32.0), &json!(2))
            );
        }
    }
}

/// The same booking cancelled twice at once, without an idempotency key: one cancellation is
/// stored (one status change, one penalty), both answers show it, and its rooms are given back
/// once.
async fn a_double_cancel_releases_the_rooms_once(app: TestApp) {
    const ROUNDS: usize = 6;
    let s = Shop::new(&app, 4).await;
    let (a, d) = (day(4), day(7));
    for round in 0..ROUNDS {
        let query = s.query(a, d, 2);
        let offer = s.offer(&app, &query).await;
        let booked = s
            .book(
                &app,
                &s.booking_request(&query, &offer, ("Ann", "Lee", "ann@example.com")),
            )
            .await;
        assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.json);
        assert_eq!(s.units(&app, a, d).await, [3, 3, 3, 4], "round {round}");
        let path = format!(
            "{}/booking/{}/cancel",
            s.root(),
            booked.json["id"].as_str().unwrap()
        );
        let body = json!({ "cancellationType": "CANCELLATION", "reason": "Plans changed" });
        let (x, y) = tokio::join!(
            app.patch(&path, &s.p.token, &body),
            app.patch(&path, &s.p.token, &body)
        );
        assert_eq!(
            (x.status, y.status),
            (StatusCode::OK, StatusCode::OK),
            "round {round}: {} / {}",
            x.json,
            y.json
        );
        assert_eq!(
            x.json, y.json,
            "round {round}: both answer the one cancellation"
        );
        let history = x.json["statusHistory"].as_array().unwrap();
        assert_eq!(history.len(), 2, "one status change: {history:?}");
        assert_eq!(x.json["version"], 2);
        // Released once: back to 4, not 5.
        assert_eq!(s.units(&app, a, d).await, [4, 4, 4, 4], "round {round}");
    }
    let room: uuid::Uuid = s.room.parse().unwrap();
    for night in app
        .store
        .availability_audit(room, a, d - chrono::Days::new(1))
        .await
        .unwrap()
    {
        assert_eq!((night.units, night.held), (4, 0), "{night:?}");
    }
}

on_both_engines!(
    stale_absolute_writes_racing_bookings_never_oversell,
    last_rooms_are_sold_once,
    a_booking_and_the_deletion_of_its_parents_never_both_succeed,
    rates_changed_since_the_quote_refuse_the_booking,
    two_puts_with_the_same_version_never_merge,
    a_double_cancel_releases_the_rooms_once
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

/// What the soak's writer of rates has done to one night's rooms for sale: the sum of the
/// `deltaQuantity` changes surely applied (`low`) and possibly applied (`high`, a change in
/// flight); the two are equal whenever no change to the night is in flight.
#[derive(Default)]
struct Deltas {
    low: std::sync::atomic::AtomicI64,
    high: std::sync::atomic::AtomicI64,
}

/// A soak client's 409 to a booking: the nights a sell-out names (taken in the booking's
/// transaction: "sold out on D"; or found when the stay was priced again: "the stay is not
/// offered: only N rooms left on D, requested R; ..."), or `None` when the rates the stay was
/// priced on had changed (the writer's price changes).
fn refusal(detail: &str) -> Option<Vec<chrono::NaiveDate>> {
    if let Some(rest) = detail.strip_prefix("sold out on ") {
        return Some(vec![
            rest.trim().parse().expect("a date after `sold out on`"),
        ]);
    }
    if let Some(reasons) = detail.strip_prefix("the stay is not offered: ") {
        let nights = reasons
            .split("; ")
            .map(|reason| {
                let rest = reason
                    .strip_prefix("only ")
                    .unwrap_or_else(|| panic!("not a sell-out: {detail}"));
                let (left, rest) = rest.split_once(" rooms left on ").unwrap();
                let (date, requested) = rest.split_once(", requested ").unwrap();
                let (left, requested): (i64, i64) =
                    (left.parse().unwrap(), requested.parse().unwrap());
                assert!(left < requested, "refused with enough rooms left: {detail}");
                date.parse().unwrap()
            })
            .collect();
        return Some(nights);
    }
    assert!(
        detail.contains("the price changed") || detail.contains("changed since it was quoted"),
        "a 409 that is neither a sell-out nor a price change: {detail}"
    );
    None
}

/// 200 clients book and cancel overlapping stays (1 to 3 nights over 10 nights) at random on a
/// room type with 5 rooms, over TCP, for `WINK_SOAK_SECONDS`, while a writer of rates adds and
/// removes rooms (`deltaQuantity`, keyed) and rewrites prices on random nights. A sampler reads
/// the counters beside the rooms held by bookings (one consistent snapshot each time): on every
/// night and at every sample, rooms held + rooms for sale = 5 plus the writer's changes, and
/// never more rooms are held than that. Every 201 is the booking asked for; every 409 is a
/// sell-out of a night the sampler saw full (or found full right after), or a price change
/// while the writer was changing prices. Afterwards the counters equal 5 plus the writer's
/// changes less the rooms of the bookings that are not cancelled, recounted from the booking
/// rows, and every answered booking and cancellation is stored.
async fn soak(app: TestApp) {
    use rand::{Rng, SeedableRng};
    use std::collections::{BTreeMap, BTreeSet};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
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
                assert_eq!(
                    offer["sourceTotal"]["amount"].as_f64(),
                    Some(2000.0 * nights as f64 + 50.0)
                );
                stays.push(s.booking_request(
                    &query,
                    &offer,
                    ("Soak", "Guest", "soak@example.com"),
                ));
            }
        }
    }
    let stays = Arc::new(stays);
    let deltas: Arc<BTreeMap<chrono::NaiveDate, Deltas>> = Arc::new(
        (1..=SOAK_NIGHTS)
            .map(|n| (day(n), Deltas::default()))
            .collect(),
    );
    // Nights the sampler saw without a room for sale.
    let seen_full = Arc::new(Mutex::new(BTreeSet::new()));
    // Set once the writer first sends a price other than the one the stays were priced at.
    let prices_moved = Arc::new(AtomicBool::new(false));

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app.router.clone();
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(SOAK_CLIENTS + 1)
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let root = format!("http://{addr}{}", s.root());

    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (store, stop, deltas, seen_full) = (
            app.store.clone(),
            stop.clone(),
            deltas.clone(),
            seen_full.clone(),
        );
        tokio::spawn(async move {
            let mut samples = 0u64;
            while !stop.load(Ordering::Relaxed) {
                // The bounds before and after the snapshot: a change in flight during the read
                // may or may not be in it.
                let before: Vec<(i64, i64)> = deltas
                    .values()
                    .map(|d| (d.low.load(Ordering::SeqCst), d.high.load(Ordering::SeqCst)))
                    .collect();
                let audit = store.availability_audit(room, first, last).await.unwrap();
                assert_eq!(audit.len() as u64, SOAK_NIGHTS);
                for (i, night) in audit.iter().enumerate() {
                    let d = &deltas[&night.day];
                    let low = before[i].0.min(d.low.load(Ordering::SeqCst));
                    let high = before[i].1.max(d.high.load(Ordering::SeqCst));
                    let offered = i64::from(night.units) + night.held;
                    assert!(night.units >= 0, "{night:?}");
                    assert_eq!(i64::from(night.sold), night.held, "{night:?}");
                    assert!(
                        SOAK_UNITS + low <= offered && offered <= SOAK_UNITS + high,
                        "rooms held + for sale is not 5 plus the writer's changes ({low}..={high}): {night:?}"
                    );
                    assert!(night.held <= SOAK_UNITS + high, "oversold: {night:?}");
                    if night.units == 0 {
                        seen_full.lock().unwrap().insert(night.day);
                    }
                }
                samples += 1;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            samples
        })
    };

    let deadline = Instant::now() + Duration::from_secs(seconds);
    // The writer: a keyed `deltaQuantity` of +1 or -1 on a random night, with a price for that
    // night: usually the stays' own 2000 THB, every fifth time 2100 THB (put back the next time).
    let writer = {
        let (http, root, token, deltas, prices_moved) = (
            http.clone(),
            root.clone(),
            s.p.token.clone(),
            deltas.clone(),
            prices_moved.clone(),
        );
        let (property, plan, room_id) = (s.property, s.plan.clone(), s.room.clone());
        tokio::spawn(async move {
            let mut rng = rand::rngs::StdRng::seed_from_u64(4242);
            let (mut applied, mut refused, mut repriced) = (0u64, 0u64, 0u64);
            let mut raised: Option<chrono::NaiveDate> = None;
            let mut change = 0u64;
            while Instant::now() < deadline {
                change += 1;
                let night = day(rng.gen_range(1..=SOAK_NIGHTS));
                let delta: i64 = if rng.gen_bool(0.5) { 1 } else { -1 };
                let mut items = vec![];
                let price = if change.is_multiple_of(5) && raised.is_none() {
                    prices_moved.store(true, Ordering::SeqCst);
                    raised = Some(night);
                    repriced += 1;
                    2100
                } else {
                    2000
                };
                items.push(json!({
                    "key": { "hotelIdentifier": property, "ratePlanIdentifier": plan,
                             "guestRoomIdentifier": room_id, "date": night },
                    "value": { "deltaQuantity": delta, "idempotencyKey": format!("soak-writer-{change}"),
                               "rate": price, "currencyCode": "THB" }
                }));
                // A raised price goes back with the next change at 2000 (its own item, unless
                // that change is on the same night).
                let restoring = if price == 2000 { raised.take() } else { None };
                if let Some(back) = restoring.filter(|d| *d != night) {
                    items.push(json!({
                        "key": { "hotelIdentifier": property, "ratePlanIdentifier": plan,
                                 "guestRoomIdentifier": room_id, "date": back },
                        "value": { "rate": 2000, "currencyCode": "THB" }
                    }));
                }
                let d = &deltas[&night];
                let bound = if delta > 0 { &d.high } else { &d.low };
                bound.fetch_add(delta, Ordering::SeqCst);
                // Retried with the same key until answered: applied once, or refused.
                let status = loop {
                    let r = http
                        .put(format!("{root}/rate/update"))
                        .bearer_auth(&token)
                        .json(&items)
                        .send()
                        .await
                        .expect("the server answers");
                    match r.status().as_u16() {
                        503 => continue,
                        other => break (other, r.text().await.unwrap_or_default()),
                    }
                };
                let other_bound = if delta > 0 { &d.low } else { &d.high };
                match status {
                    (200, _) => {
                        other_bound.fetch_add(delta, Ordering::SeqCst);
                        applied += 1;
                    }
                    (409, body) => {
                        assert!(body.contains("fewer than 0 rooms"), "writer: {body}");
                        assert_eq!(delta, -1, "only a removal can be refused: {body}");
                        bound.fetch_sub(delta, Ordering::SeqCst);
                        // Nothing of the request was applied.
                        raised = if price == 2100 { None } else { restoring };
                        refused += 1;
                    }
                    (other, body) => panic!("writer: unexpected {other}: {body}"),
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            // The last raised price back, so the stays' prices hold again.
            if let Some(back) = raised {
                let r = http
                    .put(format!("{root}/rate/update"))
                    .bearer_auth(&token)
                    .json(&json!([{
                        "key": { "hotelIdentifier": property, "ratePlanIdentifier": plan,
                                 "guestRoomIdentifier": room_id, "date": back },
                        "value": { "rate": 2000, "currencyCode": "THB" }
                    }]))
                    .send()
                    .await
                    .expect("the server answers");
                assert_eq!(r.status().as_u16(), 200);
            }
            (applied, refused, repriced)
        })
    };

    let mut clients = JoinSet::new();
    for client in 0..SOAK_CLIENTS {
        let (http, root, token, stays, store, seen_full) = (
            http.clone(),
            root.clone(),
            s.p.token.clone(),
            stays.clone(),
            app.store.clone(),
            seen_full.clone(),
        );
        let prices_moved = prices_moved.clone();
        clients.spawn(async move {
            let mut rng = rand::rngs::StdRng::seed_from_u64(client as u64);
            let mut mine: Vec<String> = Vec::new();
            let (mut booked, mut cancelled, mut refused, mut unavailable, mut repriced) =
                (0u64, 0u64, 0u64, 0u64, 0u64);
            // Sell-outs whose night was not full when the client looked right after.
            let mut unconfirmed: Vec<chrono::NaiveDate> = Vec::new();
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
                            // The booking asked for, at the price offered.
                            let stay = &json["roomStay"];
                            assert_eq!(json["bookingStatus"], "TEST_PAYMENT_SUCCEEDED", "{json}");
                            assert_eq!(stay["startDate"], body["query"]["stayStartDate"], "{json}");
                            assert_eq!(stay["endDate"], body["query"]["stayEndDate"], "{json}");
                            assert_eq!(stay["quantity"], 1, "{json}");
                            assert_eq!(stay["sourceTotal"], body["room"]["sourceTotal"], "{json}");
                            assert_eq!(json["user"]["lastName"], format!("Client{client}"));
                            mine.push(json["id"].as_str().unwrap().to_string());
                            booked += 1;
                        }
                        409 => {
                            let detail = json["detail"].as_str().unwrap_or_default();
                            match refusal(detail) {
                                Some(nights) => {
                                    for night in nights {
                                        let now = store
                                            .availability_audit(room, night, night)
                                            .await
                                            .unwrap();
                                        if now[0].units > 0 {
                                            unconfirmed.push(night);
                                        }
                                    }
                                    refused += 1;
                                }
                                None => {
                                    assert!(
                                        prices_moved.load(Ordering::SeqCst),
                                        "a price change refused before any price changed: {detail}"
                                    );
                                    repriced += 1;
                                }
                            }
                        }
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
            // A sell-out is real: the night was full when the client looked, or the sampler saw
            // it full.
            let seen = seen_full.lock().unwrap().clone();
            for night in unconfirmed {
                assert!(
                    seen.contains(&night),
                    "sold out on {night}, never seen full"
                );
            }
            (booked, cancelled, refused, unavailable, repriced)
        });
    }
    let (mut booked, mut cancelled, mut refused, mut unavailable, mut repriced) = (0, 0, 0, 0, 0);
    while let Some(done) = clients.join_next().await {
        let (b, c, r, u, p) = done.unwrap();
        (booked, cancelled, refused, unavailable, repriced) = (
            booked + b,
            cancelled + c,
            refused + r,
            unavailable + u,
            repriced + p,
        );
    }
    let (applied, writer_refused, price_moves) = writer.await.expect("the writer's answers held");
    stop.store(true, Ordering::Relaxed);
    let samples = sampler.await.expect("the invariants held at every sample");
    server.abort();
    let requests = booked + cancelled + refused + unavailable + repriced;
    eprintln!(
        "soak ({:?}, {seconds} s, {SOAK_CLIENTS} clients): {requests} requests, {booked} booked, \
         {cancelled} cancelled, {refused} refused (sold out), {repriced} refused (price changed), \
         {unavailable} unavailable, {samples} samples; writer: {applied} changes applied, \
         {writer_refused} refused, {price_moves} price moves",
        app.engine
    );
    assert!(
        booked > 0 && cancelled > 0 && refused > 0,
        "the clients met contention"
    );
    assert!(applied > 0 && price_moves > 0, "the writer wrote");
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
        let d = &deltas[&night.day];
        let added = d.low.load(Ordering::SeqCst);
        assert_eq!(added, d.high.load(Ordering::SeqCst), "no change in flight");
        assert_eq!(
            night.held, held,
            "booking_nights vs booking rows on {}",
            night.day
        );
        assert_eq!(
            i64::from(night.units),
            SOAK_UNITS + added - held,
            "counter on {}",
            night.day
        );
        assert!(held <= SOAK_UNITS + added);
    }
    // Every price the writer raised was put back.
    let r = app
        .post(
            &format!("{}/master-rate/{}/rates/dates", s.root(), s.master),
            &s.p.token,
            &json!({ "startDate": first, "endDate": last }),
        )
        .await;
    for night in r.json.as_array().unwrap() {
        assert_eq!(night["rate"], 2000.0, "{night}");
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
