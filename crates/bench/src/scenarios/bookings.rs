//! Scenarios of the bookings area, and the seeding they need.
//!
//! - `booking-grid-100k`: `POST booking/grid` with a filter (status and arrival from a date) and a
//!   sort (arrival, then last name), a random one of the first 50 pages of 30, over the
//!   property's bookings (seed 100,000 first: `wink-bench seed-bookings`).
//! - `report-csv-100k`: `POST report/csv` of every booking of the property (10 columns), one
//!   client, each report downloaded in full and its rows counted; a request's latency is the time
//!   to the last byte. `bench/run.sh` reads the server's peak memory around it.
//!
//! - `test-bookings`: `POST sandbox/booking`, one room for one night, on a room type of its own
//!   with 1,000,000 rooms a night (made through the API first), the stays spread over 30 nights.
//! - `cancel`: each client books (not timed) then cancels (timed) on such a room type: the latency
//!   of `PATCH booking/{id}/cancel`; req/s counts the cancellations.
//!
//! `seed-bookings` writes realistic bookings straight into the database with wink-store (the API
//! would take too long for 100,000): copies of the property's own bookings (made by `--demo`
//! through the API), over the past year, with varied guests (some with commas and quotes in
//! their names), stays, room counts and about 10 % cancelled. They are history: they take no
//! availability.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Days, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use uuid::Uuid;
use wink_store::booking_queries::columns;
use wink_store::bookings::{Booking, search_text};
use wink_store::grid::{Comparison, Condition, GridQuery, Value as GridValue};
use wink_store::{Amount, Json, Store, StoreOptions};

use super::Target;
use crate::load::{self, Report};

pub const NAMES: &[&str] = &[
    "booking-grid-100k",
    "report-csv-100k",
    "test-bookings",
    "cancel",
];

pub async fn run(
    target: &Target,
    name: &str,
    clients: usize,
    duration: Duration,
) -> anyhow::Result<Vec<Report>> {
    match name {
        "booking-grid-100k" => booking_grid(target, clients, duration).await,
        "report-csv-100k" => report_csv(target, duration).await,
        "test-bookings" => test_bookings(target, clients, duration).await,
        "cancel" => cancel(target, clients, duration).await,
        other => anyhow::bail!("no bookings scenario {other:?}"),
    }
}

/// The grid request the scenario sends: not cancelled, arriving from 30 days after today, by
/// arrival then guest last name.
fn grid_body(skip: usize) -> Value {
    let from = Utc::now().date_naive() + Days::new(30);
    json!({
        "skip": skip, "take": 30,
        "filter": { "logic": "and", "filters": [
            { "field": "bookingStatus", "operator": "eq", "value": "TEST_PAYMENT_SUCCEEDED" },
            { "field": "roomStay.startDate", "operator": "gte", "value": from } ] },
        "sort": [{ "field": "roomStay.startDate", "dir": "asc" }, { "field": "user.lastName", "dir": "asc" }]
    })
}

async fn booking_grid(
    target: &Target,
    clients: usize,
    duration: Duration,
) -> anyhow::Result<Vec<Report>> {
    let url = target.api("/booking/grid");
    let first = target
        .http
        .post(&url)
        .bearer_auth(&target.token)
        .json(&grid_body(0))
        .send()
        .await?;
    anyhow::ensure!(
        first.status().is_success(),
        "booking/grid: {}",
        first.status()
    );
    let page: Value = first.json().await?;
    let matching = page["totalElements"].as_u64().unwrap_or(0);
    let (http, token) = (target.http.clone(), target.token.clone());
    let name = format!("POST booking/grid (filter + sort, {matching} of the bookings match)");
    Ok(vec![
        load::run(&name, clients, duration, move |client, i| {
            let (http, url, token) = (http.clone(), url.clone(), token.clone());
            // A random-looking page among the first 50.
            let page = (client * 7919 + i * 104_729) % 50;
            async move {
                match http
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&grid_body(page * 30))
                    .send()
                    .await
                {
                    Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
                    _ => false,
                }
            }
        })
        .await,
    ])
}

const REPORT_COLUMNS: &[(&str, &str)] = &[
    ("Code", "bookingCode"),
    ("Status", "bookingStatus"),
    ("Made", "createdDate"),
    ("First name", "user.firstName"),
    ("Last name", "user.lastName"),
    ("Email", "user.email"),
    ("Arrival", "roomStay.startDate"),
    ("Departure", "roomStay.endDate"),
    ("Rooms", "roomStay.quantity"),
    ("Total", "financialBreakdown.sourceAmount"),
];

/// Downloads the whole report; answers its rows (without the header) and bytes.
async fn download(http: &reqwest::Client, url: &str, token: &str) -> anyhow::Result<(u64, u64)> {
    let fields: Vec<Value> = REPORT_COLUMNS
        .iter()
        .map(|(title, path)| json!({ "title": title, "valuePath": path }))
        .collect();
    let body = json!({ "reportName": "all-bookings", "reportDataType": "BOOKING",
                       "fieldNames": fields, "state": {} });
    let mut r = http.post(url).bearer_auth(token).json(&body).send().await?;
    anyhow::ensure!(r.status().is_success(), "report/csv: {}", r.status());
    let (mut lines, mut bytes, mut after_cr) = (0u64, 0u64, false);
    while let Some(chunk) = r.chunk().await? {
        bytes += chunk.len() as u64;
        // Records end with CRLF (the seeded data has no CR inside a field); one may straddle
        // two chunks.
        if after_cr && chunk.first() == Some(&b'\n') {
            lines += 1;
        }
        lines += chunk.windows(2).filter(|w| w == b"\r\n").count() as u64;
        after_cr = chunk.last() == Some(&b'\r');
    }
    Ok((lines.saturating_sub(1), bytes))
}

async fn report_csv(target: &Target, duration: Duration) -> anyhow::Result<Vec<Report>> {
    let url = target.api("/report/csv");
    let started = Instant::now();
    let (rows, bytes) = download(&target.http, &url, &target.token).await?;
    eprintln!(
        "report/csv: {rows} rows, {:.1} MB in {:.2} s",
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    let (http, token) = (target.http.clone(), target.token.clone());
    let expected = Arc::new(rows);
    let name = format!(
        "POST report/csv ({rows} rows, {:.1} MB, time to last byte)",
        bytes as f64 / 1e6
    );
    let report = load::run(&name, 1, duration, move |_, _| {
        let (http, url, token, expected) =
            (http.clone(), url.clone(), token.clone(), expected.clone());
        async move {
            let rows = download(&http, &url, &token).await.map(|(n, _)| n);
            rows.is_ok_and(|n| n == *expected)
        }
    })
    .await;
    Ok(vec![report])
}

const FIRST_NAMES: &[&str] = &[
    "Anna", "Kenji", "Maria", "Somchai", "Olivia", "Liam", "Noor", "Mateo", "Aiko", "Lars",
    "Chloé", "Ravi", "Fatima", "Jonas", "Mei", "Diego", "Ingrid", "Kwame", "Sofia", "Tomás",
];
const LAST_NAMES: &[&str] = &[
    "Berg",
    "Sato",
    "Lopez",
    "Chaiyaporn",
    "Smith",
    "Müller",
    "Haddad",
    "Rossi",
    "Tanaka",
    "Johansson",
    "Dubois",
    "Patel",
    "O'Brien",
    "Nguyen",
    "García",
    "Kowalski",
    "Okafor",
    "Andersen",
    "Silva",
    "Van der Berg, Jr.",
    "Lee \"Lucky\"",
];

/// Writes `count` bookings for `property` into the database at `url` (see the module's docs).
pub async fn seed(url: &str, property: Uuid, count: usize) -> anyhow::Result<()> {
    let store = Store::connect(&StoreOptions::new(url)).await?;
    let holding = GridQuery {
        filter: Some(Condition::Compare {
            column: columns::CANCELLED,
            op: Comparison::Eq,
            value: GridValue::Bool(false),
            ignore_case: false,
        }),
        sort: Vec::new(),
    };
    let (templates, _) = store.booking_grid(property, &holding, 20, 0).await?;
    anyhow::ensure!(
        !templates.is_empty(),
        "property {property} has no booking to copy: start the server with --demo first"
    );
    let mut rng = StdRng::seed_from_u64(2030);
    let started = Instant::now();
    let now = wink_store::now();
    let mut made = 0usize;
    while made < count {
        let n = (count - made).min(1_000);
        let batch: Vec<Booking> = (0..n)
            .map(|i| {
                fake(
                    &templates[(made + i) % templates.len()],
                    made + i,
                    now,
                    &mut rng,
                )
            })
            .collect::<anyhow::Result<_>>()?;
        store.import_bookings(&batch).await?;
        made += n;
        if made.is_multiple_of(20_000) || made == count {
            eprintln!(
                "seeded {made} bookings in {:.1} s",
                started.elapsed().as_secs_f64()
            );
        }
    }
    // As after any bulk load: fresh statistics (and, on PostgreSQL, the visibility map).
    store.refresh_booking_statistics().await?;
    eprintln!(
        "statistics refreshed after {:.1} s",
        started.elapsed().as_secs_f64()
    );
    store.close().await;
    Ok(())
}

/// The `i`th seeded booking, a copy of `template` with its own guest, stay and history.
fn fake(
    template: &Booking,
    i: usize,
    now: chrono::DateTime<Utc>,
    rng: &mut StdRng,
) -> anyhow::Result<Booking> {
    let mut b = template.clone();
    b.id = Uuid::new_v4();
    b.code = format!("SD-{}", &b.id.simple().to_string()[..10].to_uppercase());
    b.created_at = now - chrono::Duration::seconds(rng.gen_range(0..365 * 86_400));
    b.updated_at = b.created_at;
    let made_on = b.created_at.date_naive();
    b.arrival = made_on + Days::new(rng.gen_range(0..180));
    let nights = rng.gen_range(1..=7u64);
    b.departure = b.arrival + Days::new(nights);
    b.quantity = if rng.gen_ratio(1, 5) { 2 } else { 1 };
    let template_nights = (template.departure - template.arrival).num_days().max(1);
    let nightly = template.first_night.0 / Decimal::from(template.quantity.max(1));
    let fees = (template.total.0
        - nightly * Decimal::from(template_nights) * Decimal::from(template.quantity))
    .max(Decimal::ZERO);
    let rooms = Decimal::from(b.quantity);
    b.first_night = Amount(nightly * rooms);
    b.total = Amount(nightly * Decimal::from(nights) * rooms + fees);
    let first = FIRST_NAMES[rng.gen_range(0..FIRST_NAMES.len())];
    let last = LAST_NAMES[rng.gen_range(0..LAST_NAMES.len())];
    b.guest_first_name = first.to_string();
    b.guest_last_name = last.to_string();
    b.guest_email = format!(
        "{}.{}{i}@example.com",
        first
            .to_lowercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), ""),
        last.to_lowercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "")
    );
    b.search_text = search_text(
        &b.guest_first_name,
        &b.guest_last_name,
        &b.guest_email,
        &b.code,
    );
    b.status = template.status.clone();
    b.version = 1;
    b.cancelled_at = None;
    b.cancelled_by = None;
    b.cancellation_type = None;
    b.cancel_reason = None;
    b.penalty = None;
    if rng.gen_ratio(1, 10) {
        let at = b.created_at + chrono::Duration::seconds(rng.gen_range(60..30 * 86_400));
        if at < now {
            b.status = "CANCELLED".into();
            b.cancelled_at = Some(at);
            b.updated_at = at;
            b.cancelled_by = Some(b.booked_by);
            b.cancellation_type = Some("CANCELLATION".into());
            b.cancel_reason = Some("Guest changed plans".into());
            let half = (b.total.0 / Decimal::TWO).round_dp(2);
            b.penalty = Some(Amount(if rng.gen_bool(0.5) {
                half
            } else {
                Decimal::ZERO
            }));
            b.version = 2;
        }
    }
    let mut doc = template.document.0.clone();
    let guest = json!({ "firstName": first, "lastName": last, "email": b.guest_email });
    let set = |doc: &mut Value, pointer: &str, value: Value| {
        if let Some(slot) = doc.pointer_mut(pointer) {
            *slot = value;
        }
    };
    set(&mut doc, "/roomStay/startDate", json!(b.arrival));
    set(&mut doc, "/roomStay/endDate", json!(b.departure));
    set(&mut doc, "/roomStay/roomNights", json!(nights));
    set(&mut doc, "/roomStay/quantity", json!(b.quantity));
    set(&mut doc, "/roomStay/guestUser", guest.clone());
    set(&mut doc, "/user", guest);
    set(
        &mut doc,
        "/userSession/itinerary/startDate",
        json!(b.arrival),
    );
    set(
        &mut doc,
        "/userSession/itinerary/endDate",
        json!(b.departure),
    );
    set(&mut doc, "/userSession/itinerary/nights", json!(nights));
    set(&mut doc, "/roomStay/sourceTotal/amount", json!(b.total.0));
    b.document = Json(doc);
    anyhow::ensure!(
        b.total.0 > Decimal::ZERO,
        "template {} has no price",
        template.id
    );
    Ok(b)
}

/// The booking requests of `LIFECYCLE_STAYS` one-night stays on a room type of its own with
/// plenty of rooms, made through the API (room type, daily rates, offers).
const LIFECYCLE_STAYS: u64 = 30;

async fn lifecycle_stays(target: &Target, label: &str) -> anyhow::Result<Vec<Value>> {
    let currency = target.get_json("/property").await?["currencyCode"]
        .as_str()
        .unwrap_or("THB")
        .to_string();
    let tag = &Uuid::new_v4().simple().to_string()[..8];
    let room = json!({
        "name": format!("Bench {label} {tag}"),
        "active": true, "bookable": true, "commissionable": true, "featuredInd": false,
        "composite": false, "compositeCount": 0, "quantity": 1000,
        "minOccupancy": 1, "maxOccupancy": 2, "maxAdultOccupancy": 2, "maxChildOccupancy": 0,
        "includedAdultOccupancy": 2, "includedChildOccupancy": 0,
        "maxCribs": 0, "maxRollaways": 0, "bathroomCount": 1, "livingRoomCount": 0,
        "nonSmoking": true, "sharedRoomInd": false, "size": 25,
        "pricePoint": "TWO", "roomCategory": "ROOM", "roomClassificationCode": "STANDARD",
        "roomArchitectureCode": "ROOM", "roomLocationCode": "CITY", "roomViewCode": "CITY",
        "address": {}, "location": {}
    });
    let content = json!({
        "baseRate": { "amount": 1000, "currency": currency },
        "minRate": { "amount": 500, "currency": currency },
        "descriptions": [{ "name": "Bench room", "description": "A room for benchmarks.", "language": "en" }],
        "multimedias": [{ "multimediaIdentifier": Uuid::new_v4(), "identifier": "bench/room", "type": "IMAGE",
                          "source": "CLOUDINARY", "sort": 1, "width": 800, "height": 600 }],
        "bedroomConfigurationList": [{ "identifier": Uuid::new_v4(), "name": "Bedroom",
            "bedroomList": [{ "type": "MASTER", "bedList": [{ "bedTypeCode": "QUEEN", "quantity": 1 }] }] }]
    });
    let mut room = room;
    if let (Some(room), Value::Object(content)) = (room.as_object_mut(), content) {
        room.extend(content);
    }
    let created = send_json(target, reqwest::Method::POST, "/facility/room-type", &room).await?;
    let room_id = created["id"].as_str().unwrap_or_default().to_string();
    let masters = target.get_json("/master-rate/list").await?;
    let master = masters
        .as_array()
        .into_iter()
        .flatten()
        .find(|m| m["roomType"]["identifier"] == room_id.as_str())
        .and_then(|m| m["id"].as_str())
        .ok_or_else(|| anyhow::anyhow!("no master rate for the bench room type (no rate plan?)"))?
        .to_string();
    let first = Utc::now().date_naive() + Days::new(40);
    let last = first + Days::new(LIFECYCLE_STAYS);
    let rates = json!({
        "startDate": first, "endDate": last, "rateSource": "TRAVELIKO", "master": true,
        "closedOnArrival": false, "closedOnDeparture": false,
        "rate": { "amount": 1000, "currency": currency }, "numberOfUnits": 1_000_000
    });
    send_json(
        target,
        reqwest::Method::PUT,
        &format!("/master-rate/{master}/rate/bulk"),
        &rates,
    )
    .await?;
    let channel = target.get_json("/sandbox/channel/list").await?[0].clone();
    anyhow::ensure!(
        channel.is_object(),
        "the property has no sales channel to test-book through"
    );
    let mut stays = Vec::new();
    for offset in 0..LIFECYCLE_STAYS {
        let arrival = first + Days::new(offset);
        let query = json!({
            "channel": channel, "stayStartDate": arrival, "stayEndDate": arrival + Days::new(1),
            "roomConfigurations": [{ "adults": 2, "quantity": 1 }], "currency": currency
        });
        let list = send_json(target, reqwest::Method::POST, "/sandbox/room/list", &query).await?;
        let offer = list
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|r| r["accessibleAvailability"].as_array().into_iter().flatten())
            .flat_map(|a| a["priceConfigurations"].as_array().into_iter().flatten())
            .find(|o| o["roomRateIdentifier"] == master.as_str())
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("no offer of the bench room type on {arrival}"))?;
        stays.push(json!({
            "query": query, "room": offer,
            "notification": { "booker": { "firstName": "Bench", "lastName": "Guest", "email": "bench@example.com" } }
        }));
    }
    Ok(stays)
}

/// `method path` with a JSON body; the answer's JSON, or an error naming the status.
async fn send_json(
    target: &Target,
    method: reqwest::Method,
    path: &str,
    body: &Value,
) -> anyhow::Result<Value> {
    let r = target
        .http
        .request(method.clone(), target.api(path))
        .bearer_auth(&target.token)
        .json(body)
        .send()
        .await?;
    let status = r.status();
    let answer: Value = r.json().await.unwrap_or(Value::Null);
    anyhow::ensure!(status.is_success(), "{method} {path}: {status} {answer}");
    Ok(answer)
}

/// Books `body`; answers the booking's id.
async fn book(http: &reqwest::Client, url: &str, token: &str, body: &Value) -> Option<String> {
    let r = http
        .post(url)
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .ok()?;
    if r.status() != reqwest::StatusCode::CREATED {
        return None;
    }
    let booking: Value = r.json().await.ok()?;
    booking["id"].as_str().map(str::to_string)
}

async fn test_bookings(
    target: &Target,
    clients: usize,
    duration: Duration,
) -> anyhow::Result<Vec<Report>> {
    let stays = Arc::new(lifecycle_stays(target, "test-bookings").await?);
    let url = target.api("/sandbox/booking");
    let (http, token) = (target.http.clone(), target.token.clone());
    Ok(vec![
        load::run(
            "POST sandbox/booking (1 room, 1 night, re-priced and taken)",
            clients,
            duration,
            move |client, i| {
                let (http, url, token, stays) =
                    (http.clone(), url.clone(), token.clone(), stays.clone());
                async move {
                    let body = &stays[(client * 7 + i) % stays.len()];
                    book(&http, &url, &token, body).await.is_some()
                }
            },
        )
        .await,
    ])
}

async fn cancel(
    target: &Target,
    clients: usize,
    duration: Duration,
) -> anyhow::Result<Vec<Report>> {
    let stays = Arc::new(lifecycle_stays(target, "cancel").await?);
    let book_url = target.api("/sandbox/booking");
    let warmup = duration / 10;
    let measure_from = Instant::now() + warmup;
    let end = measure_from + duration;
    let mut tasks = Vec::with_capacity(clients);
    for client in 0..clients {
        let (http, token, stays, book_url) = (
            target.http.clone(),
            target.token.clone(),
            stays.clone(),
            book_url.clone(),
        );
        let cancel_url = target.api("/booking/");
        tasks.push(tokio::spawn(async move {
            let (mut latencies, mut errors) = (Vec::new(), 0usize);
            let mut i = 0;
            while Instant::now() < end {
                let body = &stays[(client * 7 + i) % stays.len()];
                i += 1;
                let Some(id) = book(&http, &book_url, &token, body).await else {
                    continue;
                };
                let started = Instant::now();
                let ok = matches!(
                    http.patch(format!("{cancel_url}{id}/cancel"))
                        .bearer_auth(&token)
                        .json(&json!({ "cancellationType": "CANCELLATION", "reason": "bench" }))
                        .send()
                        .await,
                    Ok(r) if r.status().is_success()
                );
                if started >= measure_from && started < end {
                    latencies.push(started.elapsed().as_micros() as u32);
                    errors += usize::from(!ok);
                }
            }
            (latencies, errors)
        }));
    }
    let (mut all, mut errors) = (Vec::new(), 0);
    for task in tasks {
        let (l, e) = task.await?;
        all.extend(l);
        errors += e;
    }
    Ok(vec![load::summarize(
        "PATCH booking/{id}/cancel (each client books, untimed, then cancels)",
        clients,
        all,
        errors,
        duration.as_secs_f64(),
    )])
}
