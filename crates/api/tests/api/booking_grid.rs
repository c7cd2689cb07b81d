//! The grid engine over HTTP: the booking grid (every operator, nested and/or, several sort keys,
//! paging edges, refusals naming their pointer) and the daily-rate grid. Also the shared
//! fixture of five bookings the report and analytics tests read.

use axum::http::StatusCode;
use chrono::NaiveDate;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::bookings::{Shop, day};
use crate::on_both_engines;
use crate::support::{TestApp, TestResponse};

/// Books `guest` (first, last, email) for `start ..< end`, 2 adults in one room, through the
/// sandbox; answers the booking.
pub async fn book(
    app: &TestApp,
    s: &Shop,
    start: NaiveDate,
    end: NaiveDate,
    guest: (&str, &str, &str),
) -> Value {
    let query = s.query(start, end, 2);
    let offer = s.offer(app, &query).await;
    let r = s.book(app, &s.booking_request(&query, &offer, guest)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    r.json
}

/// Cancels a booking on behalf of the property; answers it.
pub async fn cancel(app: &TestApp, s: &Shop, booking: &Value) -> Value {
    let r = app
        .patch(
            &format!(
                "{}/booking/{}/cancel",
                s.root(),
                booking["id"].as_str().unwrap()
            ),
            &s.p.token,
            &json!({ "cancellationType": "CANCELLATION", "reason": "Guest changed plans" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["bookingStatus"], "CANCELLED");
    r.json
}

/// Five bookings, in this order (2 adults, one room; 2000 THB a night + 50 THB per stay):
/// - 0 Ann Lee, day 1-3 (4050), CANCELLED (inside the policy's window: a penalty);
/// - 1 Bob `O'Brien, "Jr."`, day 2-5 (6050);
/// - 2 Chloé Zed, CHLOE@Example.com, day 4-5 (2050);
/// - 3 dave lee, dave@example.org, day 6-8 (4050);
/// - 4 "Eve\nMarie" Adams, day 10-11 (2050).
///
/// Answers the shop and the bookings as last answered (Ann's as cancelled).
pub async fn five_guests(app: &TestApp) -> (Shop, Vec<Value>) {
    let s = Shop::new(app, 5).await;
    let guests = [
        (1, 3, ("Ann", "Lee", "ann.lee@example.com")),
        (2, 5, ("Bob", "O'Brien, \"Jr.\"", "bob@example.com")),
        (4, 5, ("Chloé", "Zed", "CHLOE@Example.com")),
        (6, 8, ("dave", "lee", "dave@example.org")),
        (10, 11, ("Eve\nMarie", "Adams", "eve@example.com")),
    ];
    let mut bookings = Vec::new();
    for (start, end, guest) in guests {
        bookings.push(book(app, &s, day(start), day(end), guest).await);
    }
    bookings[0] = cancel(app, &s, &bookings[0]).await;
    (s, bookings)
}

pub async fn grid(app: &TestApp, s: &Shop, body: Value) -> TestResponse {
    app.post(&format!("{}/booking/grid", s.root()), &s.p.token, &body)
        .await
}

/// The booking codes of a grid page, in order.
pub fn codes(r: &TestResponse) -> Vec<String> {
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    r.json["content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["bookingCode"].as_str().unwrap().to_string())
        .collect()
}

fn code(b: &Value) -> String {
    b["bookingCode"].as_str().unwrap().to_string()
}

/// The codes of `bookings` at these indexes.
fn pick(bookings: &[Value], at: &[usize]) -> Vec<String> {
    at.iter().map(|i| code(&bookings[*i])).collect()
}

fn one(field: &str, op: &str, value: Value) -> Value {
    json!({ "filter": { "logic": "and", "filters": [{ "field": field, "operator": op, "value": value }] } })
}

fn folded(field: &str, op: &str, value: Value) -> Value {
    json!({ "filter": { "logic": "and", "filters": [{ "field": field, "operator": op, "value": value, "ignoreCase": true }] } })
}

async fn booking_grid_operators(app: TestApp) {
    let (s, b) = five_guests(&app).await;
    let newest_first = |at: &[usize]| pick(&b, at);
    // Default: every booking, cancelled ones included, newest first.
    let r = grid(&app, &s, json!({})).await;
    assert_eq!(codes(&r), newest_first(&[4, 3, 2, 1, 0]));
    assert_eq!(
        (r.json["totalElements"].as_i64(), r.json["size"].as_i64()),
        (Some(5), Some(30))
    );
    // The rows are the booking as `show` answers it.
    let shown = app
        .get(
            &format!("{}/booking/{}", s.root(), b[0]["id"].as_str().unwrap()),
            &s.p.token,
        )
        .await;
    assert_eq!(r.json["content"][4], shown.json);

    let d = |n: u64| json!(day(n));
    let master: &str = &s.master;
    let cases: Vec<(Value, Vec<usize>)> = vec![
        // Text, case-sensitive and folded.
        (one("user.lastName", "eq", json!("Lee")), vec![0]),
        (folded("user.lastName", "eq", json!("lee")), vec![3, 0]),
        (one("user.lastName", "neq", json!("Lee")), vec![4, 3, 2, 1]),
        (folded("user.lastName", "neq", json!("LEE")), vec![4, 2, 1]),
        (
            one("user.email", "contains", json!("example.com")),
            vec![4, 1, 0],
        ),
        (
            folded("user.email", "contains", json!("EXAMPLE.COM")),
            vec![4, 2, 1, 0],
        ),
        (
            one("user.email", "doesnotcontain", json!("example.com")),
            vec![3, 2],
        ),
        (
            one("user.lastName", "startswith", json!("O'Brien, \"Jr")),
            vec![1],
        ),
        (folded("user.firstName", "startswith", json!("D")), vec![3]),
        (one("user.email", "endswith", json!(".org")), vec![3]),
        (one("user.firstName", "contains", json!("\n")), vec![4]),
        (one("user.firstName", "eq", json!("Chloé")), vec![2]),
        // LIKE/GLOB wildcards are literal.
        (one("user.email", "contains", json!("%")), vec![]),
        (one("user.email", "contains", json!("*")), vec![]),
        (
            one("user.lastName", "in", json!(["Lee", "Zed"])),
            vec![2, 0],
        ),
        (
            folded("user.lastName", "nin", json!(["LEE", "zed"])),
            vec![4, 1],
        ),
        // Dates.
        (one("roomStay.startDate", "lt", d(4)), vec![1, 0]),
        (one("roomStay.startDate", "lte", d(4)), vec![2, 1, 0]),
        (one("roomStay.startDate", "gt", d(4)), vec![4, 3]),
        (one("roomStay.startDate", "gte", d(4)), vec![4, 3, 2]),
        (one("roomStay.startDate", "eq", d(6)), vec![3]),
        (one("roomStay.startDate", "neq", d(6)), vec![4, 2, 1, 0]),
        (
            one("roomStay.endDate", "in", json!([day(5), day(11)])),
            vec![4, 2, 1],
        ),
        // Numbers.
        (
            one("financialBreakdown.sourceAmount", "gt", json!(4050)),
            vec![1],
        ),
        (
            one("financialBreakdown.sourceAmount", "gte", json!(4050.0)),
            vec![3, 1, 0],
        ),
        (
            one("financialBreakdown.sourceAmount", "lt", json!(4050)),
            vec![4, 2],
        ),
        (
            one("financialBreakdown.sourceAmount", "eq", json!(2050)),
            vec![4, 2],
        ),
        (
            one("financialBreakdown.sourceAmount", "in", json!([2050, 6050])),
            vec![4, 2, 1],
        ),
        (
            one("financialBreakdown.sourceAmount", "nin", json!([2050])),
            vec![3, 1, 0],
        ),
        (one("roomStay.roomNights", "eq", json!(2)), vec![3, 0]),
        (one("roomStay.roomNights", "lte", json!(1)), vec![4, 2]),
        (
            one("roomStay.quantity", "eq", json!(1)),
            vec![4, 3, 2, 1, 0],
        ),
        (one("version", "gt", json!(1)), vec![0]),
        // Identifiers, enumerations, booleans.
        (
            one("bookingCode", "in", json!([code(&b[0]), code(&b[2])])),
            vec![2, 0],
        ),
        (
            one("bookingCode", "nin", json!([code(&b[0]), code(&b[2])])),
            vec![4, 3, 1],
        ),
        (one("id", "eq", b[3]["id"].clone()), vec![3]),
        (one("cancelled", "eq", json!(true)), vec![0]),
        (one("cancelled", "neq", json!(true)), vec![4, 3, 2, 1]),
        (one("bookingStatus", "eq", json!("CANCELLED")), vec![0]),
        (folded("bookingStatus", "eq", json!("cancelled")), vec![0]),
        (
            one("bookingStatus", "in", json!(["TEST_PAYMENT_SUCCEEDED"])),
            vec![4, 3, 2, 1],
        ),
        (one("creation", "eq", json!("TEST")), vec![4, 3, 2, 1, 0]),
        (
            one("cancellation.cancellationType", "eq", json!("CANCELLATION")),
            vec![0],
        ),
        (
            one("customization.ownerIdentifier", "eq", json!(s.agent)),
            vec![4, 3, 2, 1, 0],
        ),
        (
            one("customization.ownerIdentifier", "eq", json!(Uuid::new_v4())),
            vec![],
        ),
        (
            one("customization.identifier", "eq", json!(s.channel)),
            vec![4, 3, 2, 1, 0],
        ),
        (
            one(
                "customization.ownerName",
                "eq",
                json!("Globetrotter Travel"),
            ),
            vec![4, 3, 2, 1, 0],
        ),
        (
            one("customization.subType", "eq", json!("TRAVEL_AGENT")),
            vec![4, 3, 2, 1, 0],
        ),
        (
            one("roomStay.roomRateIdentifier", "eq", json!(master)),
            vec![4, 3, 2, 1, 0],
        ),
        (
            one(
                "roomStay.roomRateInternalName",
                "eq",
                json!("Deluxe - Flexible"),
            ),
            vec![4, 3, 2, 1, 0],
        ),
        (
            one("roomStay.room.identifier", "eq", json!(s.room)),
            vec![4, 3, 2, 1, 0],
        ),
        (
            one("roomStay.room.name", "startswith", json!("Delu")),
            vec![4, 3, 2, 1, 0],
        ),
        (
            one("roomStay.ratePlan.identifier", "neq", json!(s.plan)),
            vec![],
        ),
        (
            one("roomStay.ratePlan.name", "eq", json!("Flexible")),
            vec![4, 3, 2, 1, 0],
        ),
        (
            one("financialBreakdown.sourceCurrency", "eq", json!("THB")),
            vec![4, 3, 2, 1, 0],
        ),
        // NULLs and empties.
        (
            one("cancellation.cancelledOn", "isnull", Value::Null),
            vec![4, 3, 2, 1],
        ),
        (
            one("cancellation.cancelledOn", "isnotnull", Value::Null),
            vec![0],
        ),
        (
            one("cancellation.cancelReason", "isempty", Value::Null),
            vec![4, 3, 2, 1],
        ),
        (
            one("cancellation.cancelReason", "isnotempty", Value::Null),
            vec![0],
        ),
        (
            one(
                "cancellation.cancelReason",
                "neq",
                json!("Guest changed plans"),
            ),
            vec![4, 3, 2, 1],
        ),
        (
            one(
                "cancellation.cancelReason",
                "doesnotcontain",
                json!("plans"),
            ),
            vec![4, 3, 2, 1],
        ),
        (
            one(
                "metadata.cancellationPenalty.amount",
                "isnotnull",
                Value::Null,
            ),
            vec![0],
        ),
        (one("user.email", "isempty", Value::Null), vec![]),
        // Timestamps.
        (
            one("createdDate", "gte", b[2]["createdDate"].clone()),
            vec![4, 3, 2],
        ),
        (
            one("createdDate", "lt", b[2]["createdDate"].clone()),
            vec![1, 0],
        ),
        (
            one(
                "cancellation.cancelledOn",
                "lte",
                b[0]["cancellation"]["cancelledOn"].clone(),
            ),
            vec![0],
        ),
    ];
    for (body, expected) in cases {
        let r = grid(&app, &s, body.clone()).await;
        assert_eq!(codes(&r), newest_first(&expected), "{body}");
        assert_eq!(
            r.json["totalElements"].as_u64(),
            Some(expected.len() as u64),
            "{body}"
        );
    }
    // What the property kept of the cancelled booking.
    let penalty = &b[0]["metadata"]["cancellationPenalty"]["amount"];
    assert!(penalty.as_f64().unwrap() > 0.0, "{}", b[0]);
    let r = grid(
        &app,
        &s,
        one("metadata.cancellationPenalty.amount", "eq", penalty.clone()),
    )
    .await;
    assert_eq!(codes(&r), newest_first(&[0]));
    let r = grid(
        &app,
        &s,
        one("financialBreakdown.netSourceAmount", "eq", penalty.clone()),
    )
    .await;
    assert_eq!(codes(&r), newest_first(&[0]));

    // Nested and/or: Zed, or a "lee" (any case) with 2 nights or more that still holds.
    let nested = json!({ "filter": { "logic": "or", "filters": [
        { "field": "user.lastName", "operator": "eq", "value": "Zed" },
        { "logic": "and", "filters": [
            { "field": "user.lastName", "operator": "eq", "value": "lee", "ignoreCase": true },
            { "field": "roomStay.roomNights", "operator": "gte", "value": 2 },
            { "field": "cancelled", "operator": "eq", "value": false } ] } ] } });
    assert_eq!(codes(&grid(&app, &s, nested).await), newest_first(&[3, 2]));
    let nested = json!({ "filter": { "logic": "and", "filters": [
        { "field": "cancelled", "operator": "eq", "value": false },
        { "logic": "or", "filters": [
            { "field": "roomStay.startDate", "operator": "lt", "value": day(3) },
            { "logic": "and", "filters": [
                { "field": "roomStay.startDate", "operator": "gt", "value": day(5) },
                { "field": "user.email", "operator": "endswith", "value": ".com" } ] } ] } ] } });
    assert_eq!(codes(&grid(&app, &s, nested).await), newest_first(&[4, 1]));
}

async fn booking_grid_sorts_and_pages(app: TestApp) {
    let (s, b) = five_guests(&app).await;
    let order = |sort: Value| json!({ "sort": sort });
    // Text by code point: upper case before lower case.
    let r = grid(
        &app,
        &s,
        order(json!([{ "field": "user.lastName", "dir": "asc" }])),
    )
    .await;
    assert_eq!(codes(&r), pick(&b, &[4, 0, 1, 2, 3]));
    let r = grid(
        &app,
        &s,
        order(json!([{ "field": "user.lastName", "dir": "desc" }])),
    )
    .await;
    assert_eq!(codes(&r), pick(&b, &[3, 2, 1, 0, 4]));
    // Several keys; `dir` defaults to asc.
    let r = grid(
        &app,
        &s,
        order(json!([{ "field": "financialBreakdown.sourceAmount", "dir": "desc" }, { "field": "roomStay.startDate" }])),
    )
    .await;
    assert_eq!(codes(&r), pick(&b, &[1, 0, 3, 2, 4]));
    let r = grid(
        &app,
        &s,
        order(json!([{ "field": "cancelled", "dir": "asc" }, { "field": "user.firstName", "dir": "desc" }])),
    )
    .await;
    assert_eq!(codes(&r), pick(&b, &[3, 4, 2, 1, 0]));
    let r = grid(
        &app,
        &s,
        order(json!([{ "field": "roomStay.roomNights", "dir": "asc" }, { "field": "roomStay.endDate", "dir": "desc" }])),
    )
    .await;
    assert_eq!(codes(&r), pick(&b, &[4, 2, 3, 0, 1]));
    // NULLs last ascending, first descending, on both engines.
    let r = grid(
        &app,
        &s,
        order(json!([{ "field": "cancellation.cancelledOn", "dir": "asc" }])),
    )
    .await;
    assert_eq!(codes(&r)[0], code(&b[0]));
    let r = grid(
        &app,
        &s,
        order(json!([{ "field": "cancellation.cancelledOn", "dir": "desc" }])),
    )
    .await;
    assert_eq!(codes(&r)[4], code(&b[0]));
    let r = grid(
        &app,
        &s,
        order(json!([{ "field": "createdDate", "dir": "asc" }])),
    )
    .await;
    assert_eq!(codes(&r), pick(&b, &[0, 1, 2, 3, 4]));

    // Pages of 2 by last name: E A | B C | D.
    let page = |skip: u64, take: u64| json!({ "skip": skip, "take": take, "sort": [{ "field": "user.lastName", "dir": "asc" }] });
    let meta = |r: &TestResponse| {
        (
            r.json["number"].as_i64().unwrap(),
            r.json["first"].as_bool().unwrap(),
            r.json["last"].as_bool().unwrap(),
            r.json["numberOfElements"].as_i64().unwrap(),
            r.json["size"].as_i64().unwrap(),
            r.json["totalPages"].as_i64().unwrap(),
            r.json["totalElements"].as_i64().unwrap(),
        )
    };
    let r = grid(&app, &s, page(0, 2)).await;
    assert_eq!(codes(&r), pick(&b, &[4, 0]));
    assert_eq!(meta(&r), (0, true, false, 2, 2, 3, 5));
    let r = grid(&app, &s, page(2, 2)).await;
    assert_eq!(codes(&r), pick(&b, &[1, 2]));
    assert_eq!(meta(&r), (1, false, false, 2, 2, 3, 5));
    let r = grid(&app, &s, page(4, 2)).await;
    assert_eq!(codes(&r), pick(&b, &[3]));
    assert_eq!(meta(&r), (2, false, true, 1, 2, 3, 5));
    // Past the end: an empty last page.
    let r = grid(&app, &s, page(6, 2)).await;
    assert_eq!(codes(&r), Vec::<String>::new());
    assert_eq!(meta(&r), (3, false, true, 0, 2, 3, 5));
    // A skip that is not a multiple of take starts where it says.
    let r = grid(&app, &s, page(1, 2)).await;
    assert_eq!(codes(&r), pick(&b, &[0, 1]));
    assert_eq!(meta(&r), (0, false, false, 2, 2, 3, 5));
    let r = grid(&app, &s, page(0, 180)).await;
    assert_eq!(meta(&r), (0, true, true, 5, 180, 1, 5));
    let r = grid(&app, &s, page(3, 2)).await;
    assert_eq!(codes(&r), pick(&b, &[2, 3]));
    assert!(meta(&r).2, "the last page");
    // A page that ends exactly on the last row is the last; the one before it is not.
    let r = grid(&app, &s, page(4, 1)).await;
    assert_eq!(codes(&r), pick(&b, &[3]));
    assert_eq!(meta(&r), (4, false, true, 1, 1, 5, 5));
    let r = grid(&app, &s, page(3, 1)).await;
    assert_eq!(codes(&r), pick(&b, &[2]));
    assert_eq!(meta(&r), (3, false, false, 1, 1, 5, 5));
}

async fn booking_grid_refusals(app: TestApp) {
    let (s, _) = five_guests(&app).await;
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (
            one("hotel.name", "eq", json!("x")),
            vec!["/filter/filters/0/field"],
        ),
        (
            one("roomStay.startDate", "contains", json!("2030")),
            vec!["/filter/filters/0/operator"],
        ),
        (
            one("bookingStatus", "startswith", json!("CAN")),
            vec!["/filter/filters/0/operator"],
        ),
        (
            one("cancelled", "gt", json!(false)),
            vec!["/filter/filters/0/operator"],
        ),
        (
            one("financialBreakdown.sourceAmount", "isempty", Value::Null),
            vec!["/filter/filters/0/operator"],
        ),
        (
            one("roomStay.startDate", "eq", json!("tomorrow")),
            vec!["/filter/filters/0/value"],
        ),
        (
            one("financialBreakdown.sourceAmount", "gt", json!("100")),
            vec!["/filter/filters/0/value"],
        ),
        (
            one("roomStay.roomNights", "eq", json!(1.5)),
            vec!["/filter/filters/0/value"],
        ),
        (
            one("bookingStatus", "eq", json!("BOOKED")),
            vec!["/filter/filters/0/value"],
        ),
        (
            one("createdDate", "gt", json!("2030-01-01")),
            vec!["/filter/filters/0/value"],
        ),
        (
            one("customization.ownerIdentifier", "eq", json!("someone")),
            vec!["/filter/filters/0/value"],
        ),
        (
            one("user.lastName", "in", json!("Lee")),
            vec!["/filter/filters/0/value"],
        ),
        (
            one("user.lastName", "nin", json!([])),
            vec!["/filter/filters/0/value"],
        ),
        (
            one("roomStay.roomNights", "in", json!([1, "two"])),
            vec!["/filter/filters/0/value/1"],
        ),
        (
            one("cancellation.cancelledOn", "isnull", json!(true)),
            vec!["/filter/filters/0/value"],
        ),
        (
            json!({ "filter": { "logic": "or", "filters": [
                { "field": "user.lastName", "operator": "eq", "value": "Lee" },
                { "logic": "and", "filters": [
                    { "field": "cancelled", "operator": "eq", "value": true },
                    { "field": "roomStay.roomNights", "operator": "gte", "value": "2" } ] } ] } }),
            vec!["/filter/filters/1/filters/1/value"],
        ),
        (
            json!({ "filter": { "filters": [{ "field": "cancelled", "operator": "eq", "value": true, "logic": "or" }] } }),
            vec!["/filter/filters/0"],
        ),
        (
            json!({ "group": [{ "field": "bookingStatus", "dir": "asc" }] }),
            vec!["/group"],
        ),
        (
            json!({ "sort": [{ "field": "guest", "dir": "asc" }] }),
            vec!["/sort/0/field"],
        ),
        (json!({ "sort": [{ "dir": "asc" }] }), vec!["/sort/0/field"]),
        // The schema's own checks name their pointer too.
        (json!({ "take": 181 }), vec!["/take"]),
        (json!({ "take": 0 }), vec!["/take"]),
        (json!({ "skip": -1 }), vec!["/skip"]),
        (
            one("user.lastName", "like", json!("Lee")),
            vec!["/filter/filters/0/operator"],
        ),
        (
            json!({ "filter": { "logic": "and", "filters": [] } }),
            vec!["/filter/filters"],
        ),
        (
            json!({ "sort": [{ "field": "bookingCode", "dir": "up" }] }),
            vec!["/sort/0/dir"],
        ),
    ];
    for (body, expected) in cases {
        let r = grid(&app, &s, body.clone()).await;
        assert_eq!(r.invalid_fields(), expected, "{body}");
    }
    // Another account's property is not there; its grid is its own.
    let other = Shop::new(&app, 1).await;
    let r = app
        .post(
            &format!("{}/booking/grid", other.root()),
            &s.p.token,
            &json!({}),
        )
        .await;
    r.problem(StatusCode::NOT_FOUND);
    let r = grid(&app, &other, json!({})).await;
    assert_eq!(codes(&r), Vec::<String>::new());
    assert_eq!(r.json["totalElements"], 0);
    // Read scope suffices; no token is 401.
    let reader = app.persona_of(s.p.account_id, &["booking.read"]).await;
    let r = app
        .post(
            &format!("{}/booking/grid", s.root()),
            &reader.token,
            &json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let r = app
        .call(
            axum::http::Method::POST,
            &format!("{}/booking/grid", s.root()),
            None,
            Some(&json!({})),
        )
        .await;
    r.problem(StatusCode::UNAUTHORIZED);
}

async fn rate_grid(app: &TestApp, s: &Shop, body: Value) -> TestResponse {
    app.post(
        &format!("{}/master-rate/{}/rate/grid", s.root(), s.master),
        &s.p.token,
        &body,
    )
    .await
}

/// The dates of a rate page, in order.
fn dates(r: &TestResponse) -> Vec<NaiveDate> {
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    r.json["content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|rate| {
            NaiveDate::from_ymd_opt(
                rate["year"].as_i64().unwrap() as i32,
                rate["month"].as_i64().unwrap() as u32,
                rate["day"].as_i64().unwrap() as u32,
            )
            .unwrap()
        })
        .collect()
}

async fn daily_rate_grid(app: TestApp) {
    // Stored: day 1-20 at 2000 THB with 5 rooms; then 5-6 dearer, closed to arrival, 2 nights
    // minimum and 3 rooms; 8 not sold (master off) with 7 nights maximum; 25 set without a
    // price or rooms, closed to departure.
    let s = Shop::new(&app, 5).await;
    s.rates(
        &app,
        day(5),
        day(6),
        json!({ "rate": { "amount": 2500, "currency": "THB" }, "closedOnArrival": true,
                "minLengthOfStay": 2, "numberOfUnits": 3 }),
    )
    .await;
    s.rates(
        &app,
        day(8),
        day(8),
        json!({ "master": false, "maxLengthOfStay": 7 }),
    )
    .await;
    s.rates(&app, day(25), day(25), json!({ "closedOnDeparture": true }))
        .await;
    let days = |list: &[u64]| list.iter().map(|n| day(*n)).collect::<Vec<_>>();
    let all: Vec<u64> = (1..=20).chain([25]).collect();

    let r = rate_grid(&app, &s, json!({})).await;
    assert_eq!(dates(&r), days(&all));
    assert_eq!(
        (r.json["totalElements"].as_i64(), r.json["last"].as_bool()),
        (Some(21), Some(true))
    );
    // Each row is the Rate the calendar read answers for that date.
    let calendar = app
        .post(
            &format!("{}/master-rate/{}/rates/dates", s.root(), s.master),
            &s.p.token,
            &json!({ "startDate": day(5), "endDate": day(5) }),
        )
        .await;
    assert_eq!(r.json["content"][4], calendar.json[0]);
    assert_eq!(r.json["content"][20]["rate"], 0.0);
    assert_eq!(r.json["content"][20]["available"], false);

    let one = |field: &str, op: &str, value: Value| json!({ "filter": { "filters": [{ "field": field, "operator": op, "value": value }] } });
    let cases: Vec<(Value, Vec<u64>)> = vec![
        (one("closedOnArrival", "eq", json!(true)), vec![5, 6]),
        (one("closedOnDeparture", "eq", json!(true)), vec![25]),
        (one("master", "eq", json!(false)), vec![8]),
        (one("available", "eq", json!(false)), vec![8, 25]),
        (one("rate", "gt", json!(2000)), vec![5, 6]),
        (one("rate", "eq", json!(0)), vec![25]),
        (one("rate", "in", json!([2500, 0])), vec![5, 6, 25]),
        (one("minLengthOfStay", "eq", json!(2)), vec![5, 6]),
        (one("maxLengthOfStay", "gte", json!(1)), vec![8]),
        (one("quantity", "eq", json!(3)), vec![5, 6]),
        (one("quantity", "lt", json!(1)), vec![25]),
        (one("date", "gte", json!(day(18))), vec![18, 19, 20, 25]),
        (
            one("date", "in", json!([day(1), day(25), day(30)])),
            vec![1, 25],
        ),
        (one("rateSource", "eq", json!("TRAVELIKO")), all.clone()),
        (
            json!({ "filter": { "logic": "or", "filters": [
                { "field": "date", "operator": "eq", "value": day(1) },
                { "logic": "and", "filters": [
                    { "field": "rate", "operator": "gte", "value": 2500 },
                    { "field": "date", "operator": "gt", "value": day(5) } ] } ] } }),
            vec![1, 6],
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(
            dates(&rate_grid(&app, &s, body.clone()).await),
            days(&expected),
            "{body}"
        );
    }
    // Min stay -1 means no limit, as answered.
    let r = rate_grid(&app, &s, one("minLengthOfStay", "eq", json!(-1))).await;
    assert_eq!(r.json["totalElements"], 19);
    // Sort on several keys, then page.
    let r = rate_grid(
        &app,
        &s,
        json!({ "take": 3, "sort": [{ "field": "rate", "dir": "desc" }, { "field": "date", "dir": "desc" }] }),
    )
    .await;
    assert_eq!(dates(&r), days(&[6, 5, 20]));
    let r = rate_grid(&app, &s, json!({ "skip": 20, "take": 10 })).await;
    assert_eq!(dates(&r), days(&[25]));
    assert_eq!(
        (
            r.json["number"].as_i64(),
            r.json["last"].as_bool(),
            r.json["totalPages"].as_i64()
        ),
        (Some(2), Some(true), Some(3))
    );
    // Refusals name their pointer.
    for (body, field) in [
        (
            one("bookingCode", "eq", json!("x")),
            "/filter/filters/0/field",
        ),
        (
            one("date", "contains", json!("2030")),
            "/filter/filters/0/operator",
        ),
        (one("rate", "eq", json!("cheap")), "/filter/filters/0/value"),
        (json!({ "sort": [{ "field": "day" }] }), "/sort/0/field"),
        (json!({ "group": [{ "field": "date" }] }), "/group"),
    ] {
        assert_eq!(rate_grid(&app, &s, body).await.invalid_fields(), [field]);
    }
    // Another master rate (or another property's) is not found.
    let r = app
        .post(
            &format!("{}/master-rate/{}/rate/grid", s.root(), Uuid::new_v4()),
            &s.p.token,
            &json!({}),
        )
        .await;
    r.problem(StatusCode::NOT_FOUND);
    let other = Shop::new(&app, 1).await;
    let r = app
        .post(
            &format!("{}/master-rate/{}/rate/grid", s.root(), other.master),
            &s.p.token,
            &json!({}),
        )
        .await;
    r.problem(StatusCode::NOT_FOUND);
}

on_both_engines!(
    booking_grid_operators,
    booking_grid_sorts_and_pages,
    booking_grid_refusals,
    daily_rate_grid,
);
