//! The CSV report: columns by grid field name, rows by the grid engine, RFC 4180 parsed back,
//! streamed over several batches.

use axum::http::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::booking_grid::five_guests;
use crate::bookings::Shop;
use crate::on_both_engines;
use crate::support::{TestApp, TestResponse};

pub async fn report(app: &TestApp, s: &Shop, body: &Value) -> TestResponse {
    app.post(&format!("{}/report/csv", s.root()), &s.p.token, body)
        .await
}

/// A report request of these (title, field) columns under `state`.
pub fn request(columns: &[(&str, &str)], state: Value) -> Value {
    let fields: Vec<Value> = columns
        .iter()
        .map(|(title, path)| json!({ "title": title, "valuePath": path }))
        .collect();
    json!({ "reportName": "booking-summary", "reportDataType": "BOOKING", "fieldNames": fields, "state": state })
}

/// Parses RFC 4180 CSV (CRLF records, quoted fields with doubled quotes), asserting its shape.
pub fn parse_csv(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    assert!(text.is_empty() || text.ends_with("\r\n"), "{text:?}");
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if at_start => {
                quoted = true;
                at_start = false;
            }
            '"' => panic!("a quote inside an unquoted field: {text:?}"),
            ',' => {
                row.push(std::mem::take(&mut field));
                at_start = true;
            }
            '\r' => {
                assert_eq!(chars.next(), Some('\n'), "CR without LF: {text:?}");
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
                at_start = true;
            }
            '\n' => panic!("a bare LF outside quotes: {text:?}"),
            _ => {
                field.push(c);
                at_start = false;
            }
        }
    }
    assert!(!quoted && row.is_empty() && field.is_empty(), "{text:?}");
    rows
}

fn s(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

async fn report_csv_round_trip(app: TestApp) {
    let (shop, b) = five_guests(&app).await;
    let columns = [
        ("Code", "bookingCode"),
        ("Guest, first", "user.firstName"),
        ("Last \"name\"", "user.lastName"),
        ("Email", "user.email"),
        ("Arrival", "roomStay.startDate"),
        ("Nights", "roomStay.roomNights"),
        ("Total", "financialBreakdown.sourceAmount"),
        ("Status", "bookingStatus"),
        ("Cancelled", "cancelled"),
        ("Cancelled on", "cancellation.cancelledOn"),
        ("Penalty", "metadata.cancellationPenalty.amount"),
        ("Owner", "customization.ownerName"),
        ("Channel owner id", "customization.ownerIdentifier"),
        ("Room rate", "roomStay.roomRateInternalName"),
        ("Made", "createdDate"),
    ];
    // By arrival; the grid page the client was on (skip, take) does not limit a report.
    let body = request(
        &columns,
        json!({ "skip": 3, "take": 1, "sort": [{ "field": "roomStay.startDate", "dir": "asc" }] }),
    );
    let r = report(&app, &shop, &body).await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.bytes)
    );
    assert_eq!(r.content_type(), "text/csv; charset=utf-8");
    assert_eq!(
        r.headers["content-disposition"],
        "attachment; filename=\"booking-summary.csv\"; filename*=UTF-8''booking-summary.csv"
    );
    let raw = String::from_utf8(r.bytes.clone()).unwrap();
    assert!(raw.starts_with(
        "Code,\"Guest, first\",\"Last \"\"name\"\"\",Email,Arrival,Nights,Total,Status,Cancelled,"
    ));
    assert!(raw.contains(",\"O'Brien, \"\"Jr.\"\"\","), "{raw}");
    assert!(raw.contains("\"Eve\nMarie\""), "{raw}");
    let rows = parse_csv(&r.bytes);
    assert_eq!(rows.len(), 6, "{raw}");
    assert_eq!(
        rows[0],
        columns
            .iter()
            .map(|(t, _)| t.to_string())
            .collect::<Vec<_>>()
    );
    // Rows in arrival order: Ann, Bob, Chloé, dave, Eve; each the booking's own values.
    for (row, booking) in rows[1..].iter().zip(&b) {
        let penalty = &booking["metadata"]["cancellationPenalty"]["amount"];
        let cancelled_on = &booking["cancellation"]["cancelledOn"];
        let expected = vec![
            s(&booking["bookingCode"]),
            s(&booking["user"]["firstName"]),
            s(&booking["user"]["lastName"]),
            s(&booking["user"]["email"]),
            s(&booking["roomStay"]["startDate"]),
            s(&booking["roomStay"]["roomNights"]),
            booking["financialBreakdown"]["sourceAmount"]
                .as_f64()
                .unwrap()
                .to_string(),
            s(&booking["bookingStatus"]),
            s(&booking["cancelled"]),
            if cancelled_on.is_null() {
                String::new()
            } else {
                s(cancelled_on)
            },
            penalty.as_f64().map(|p| p.to_string()).unwrap_or_default(),
            "Globetrotter Travel".to_string(),
            shop.agent.to_string(),
            "Deluxe - Flexible".to_string(),
            s(&booking["createdDate"]),
        ];
        assert_eq!(row, &expected);
    }
    assert_eq!(rows[2][2], "O'Brien, \"Jr.\"");
    assert_eq!(rows[5][1], "Eve\nMarie");
    assert_eq!(rows[1][8], "true");
    assert!(!rows[1][10].is_empty());

    // The state's filter and order, through the grid engine.
    let body = request(
        &[("Code", "bookingCode"), ("Last", "user.lastName")],
        json!({ "sort": [{ "field": "user.lastName", "dir": "desc" }],
                "filter": { "logic": "and", "filters": [
                    { "field": "cancelled", "operator": "eq", "value": false },
                    { "logic": "or", "filters": [
                        { "field": "user.lastName", "operator": "eq", "value": "lee", "ignoreCase": true },
                        { "field": "roomStay.roomNights", "operator": "gte", "value": 3 } ] } ] } }),
    );
    let rows = parse_csv(&report(&app, &shop, &body).await.bytes);
    assert_eq!(
        rows,
        [
            vec!["Code".to_string(), "Last".to_string()],
            vec![s(&b[3]["bookingCode"]), "lee".into()],
            vec![s(&b[1]["bookingCode"]), "O'Brien, \"Jr.\"".into()],
        ]
    );
    // Nothing matches: the header alone. Newest first by default.
    let body = request(
        &[("Code", "bookingCode")],
        json!({ "filter": { "filters": [{ "field": "bookingCode", "operator": "eq", "value": "none" }] } }),
    );
    assert_eq!(report(&app, &shop, &body).await.bytes, b"Code\r\n");
    let rows = parse_csv(
        &report(&app, &shop, &request(&[("Code", "bookingCode")], json!({})))
            .await
            .bytes,
    );
    let newest: Vec<String> = b.iter().rev().map(|x| s(&x["bookingCode"])).collect();
    assert_eq!(
        rows[1..].iter().map(|r| r[0].clone()).collect::<Vec<_>>(),
        newest
    );
}

async fn report_refusals(app: TestApp) {
    let (shop, _) = five_guests(&app).await;
    let mut body = request(&[("Code", "bookingCode")], json!({}));
    for kind in ["PROPERTY", "USER", "ACCOUNT"] {
        body["reportDataType"] = json!(kind);
        assert_eq!(
            report(&app, &shop, &body).await.invalid_fields(),
            ["/reportDataType"]
        );
    }
    let body = request(
        &[
            ("Code", "bookingCode"),
            ("Hotel", "hotel.name"),
            ("Guest", "user.lastName"),
            ("X", "user"),
        ],
        json!({}),
    );
    assert_eq!(
        report(&app, &shop, &body).await.invalid_fields(),
        ["/fieldNames/1/valuePath", "/fieldNames/3/valuePath"]
    );
    let body = request(
        &[("Code", "bookingCode")],
        json!({ "group": [{ "field": "bookingStatus" }],
                "sort": [{ "field": "nope" }],
                "filter": { "filters": [{ "field": "roomStay.startDate", "operator": "startswith", "value": "2030" }] } }),
    );
    assert_eq!(
        report(&app, &shop, &body).await.invalid_fields(),
        [
            "/state/group",
            "/state/sort/0/field",
            "/state/filter/filters/0/operator"
        ]
    );
    // The schema: fieldNames required non-empty, state required.
    let mut body = request(&[("Code", "bookingCode")], json!({}));
    body["fieldNames"] = json!([]);
    assert_eq!(
        report(&app, &shop, &body).await.invalid_fields(),
        ["/fieldNames"]
    );
    body.as_object_mut().unwrap().remove("state");
    body["fieldNames"] = json!([{ "title": "Code", "valuePath": "bookingCode" }]);
    assert_eq!(
        report(&app, &shop, &body).await.invalid_fields(),
        ["/state"]
    );
    // Another account's property: 404.
    let other = Shop::new(&app, 1).await;
    let r = app
        .post(
            &format!("{}/report/csv", other.root()),
            &shop.p.token,
            &request(&[("Code", "bookingCode")], json!({})),
        )
        .await;
    r.problem(StatusCode::NOT_FOUND);
}

/// More rows than one batch: streamed in order, none lost or repeated.
async fn report_streams_many_rows(app: TestApp) {
    let (shop, b) = five_guests(&app).await;
    let template = app
        .store
        .booking(shop.property, b[1]["id"].as_str().unwrap().parse().unwrap())
        .await
        .unwrap();
    let imported: Vec<_> = (0..1_200)
        .map(|i| {
            let mut copy = template.clone();
            copy.id = Uuid::new_v4();
            copy.code = format!("IMP-{i:05}");
            copy.guest_last_name = format!("Guest, \"{i}\"");
            copy
        })
        .collect();
    app.store.import_bookings(&imported).await.unwrap();
    let body = request(
        &[("Code", "bookingCode"), ("Last", "user.lastName")],
        json!({ "sort": [{ "field": "bookingCode", "dir": "asc" }],
                "filter": { "filters": [{ "field": "bookingCode", "operator": "startswith", "value": "IMP-" }] } }),
    );
    let r = report(&app, &shop, &body).await;
    assert_eq!(r.status, StatusCode::OK);
    let rows = parse_csv(&r.bytes);
    assert_eq!(rows.len(), 1_201);
    for (i, row) in rows[1..].iter().enumerate() {
        assert_eq!(row, &vec![format!("IMP-{i:05}"), format!("Guest, \"{i}\"")]);
    }
    // The grid counts them too.
    let r = crate::booking_grid::grid(&app, &shop, json!({ "take": 1 })).await;
    assert_eq!(r.json["totalElements"], 1_205);
}

/// Makes one stored booking unreadable: a total of NaN, which both engines store (PostgreSQL's
/// NUMERIC has NaN, SQLite keeps the text) and no amount decodes from.
async fn corrupt_total(app: &TestApp, code: &str) {
    let sql = "UPDATE bookings SET total = 'NaN' WHERE code = $1";
    let changed = match app.engine {
        wink_store::Engine::Sqlite => {
            let mut c = <sqlx::SqliteConnection as sqlx::Connection>::connect(&app.url)
                .await
                .unwrap();
            sqlx::query(sql).bind(code).execute(&mut c).await.unwrap()
        }
        .rows_affected(),
        wink_store::Engine::Postgres => {
            let mut c = <sqlx::PgConnection as sqlx::Connection>::connect(&app.url)
                .await
                .unwrap();
            sqlx::query(sql).bind(code).execute(&mut c).await.unwrap()
        }
        .rows_affected(),
    };
    assert_eq!(changed, 1);
}

/// A report whose storage fails part-way: the download started (200, the header and the rows
/// read so far, in whole batches), then the transfer ends with an error, so the client never
/// takes a short file for the whole report. Failing in the first batch, it is a problem answer.
async fn a_report_whose_stream_fails_part_way_is_cut_off(app: TestApp) {
    use futures_util::StreamExt;
    use tower::ServiceExt;
    let (shop, b) = five_guests(&app).await;
    let template = app
        .store
        .booking(shop.property, b[1]["id"].as_str().unwrap().parse().unwrap())
        .await
        .unwrap();
    let imported: Vec<_> = (0..1_200)
        .map(|i| {
            let mut copy = template.clone();
            copy.id = Uuid::new_v4();
            copy.code = format!("IMP-{i:05}");
            copy
        })
        .collect();
    app.store.import_bookings(&imported).await.unwrap();
    // The 1001st row: after two whole batches of 500.
    corrupt_total(&app, "IMP-01000").await;
    let body = |from: &str| {
        request(
            &[
                ("Code", "bookingCode"),
                ("Amount", "financialBreakdown.sourceAmount"),
            ],
            json!({ "sort": [{ "field": "bookingCode", "dir": "asc" }],
                    "filter": { "logic": "and", "filters": [
                        { "field": "bookingCode", "operator": "startswith", "value": "IMP-" },
                        { "field": "bookingCode", "operator": "gte", "value": from } ] } }),
        )
    };
    let request = axum::http::Request::builder()
        .method(axum::http::Method::POST)
        .uri(format!("{}/report/csv", shop.root()))
        .header(
            axum::http::header::AUTHORIZATION,
            format!("Bearer {}", shop.p.token),
        )
        .header(axum::http::header::CONTENT_TYPE, "application/json")
        .body(axum::body::Body::from(body("IMP-").to_string()))
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[axum::http::header::CONTENT_TYPE],
        "text/csv; charset=utf-8"
    );
    let mut stream = response.into_body().into_data_stream();
    let mut received = Vec::new();
    let mut failed = false;
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(bytes) => received.extend_from_slice(&bytes),
            Err(_) => {
                failed = true;
                break;
            }
        }
    }
    assert!(
        failed,
        "the transfer ends with an error, not as a complete file"
    );
    let rows = parse_csv(&received);
    assert_eq!(rows[0], ["Code", "Amount"]);
    assert_eq!(rows.len(), 1 + 1_000, "the header and two whole batches");
    for (i, row) in rows[1..].iter().enumerate() {
        assert_eq!(row[0], format!("IMP-{i:05}"));
    }

    // Unreadable within the first batch: nothing was sent yet, so the answer is a problem.
    let r = report(&app, &shop, &body("IMP-00900")).await;
    r.problem(StatusCode::INTERNAL_SERVER_ERROR);
    // Without the unreadable row the same report is whole.
    let r = report(&app, &shop, &body("IMP-01001")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(parse_csv(&r.bytes).len(), 1 + 199);
}

on_both_engines!(
    report_csv_round_trip,
    report_refusals,
    report_streams_many_rows,
    a_report_whose_stream_fails_part_way_is_cut_off
);
