//! Lenient content negotiation (RFC 9110, section 12.1): every operation has one representation
//! and sends it whatever well-formed `Accept` names (the platform's generated SDKs send
//! `Accept: application/json` to every operation, the booking PDF included); an `Accept` that
//! is not a list of media ranges is a 400; errors stay `application/problem+json`.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use crate::booking_lifecycle::booked;
use crate::bookings::{Shop, day};
use crate::on_both_engines;
use crate::reports::request as report_request;
use crate::support::{TestApp, TestResponse};

/// What clients put in `Accept` that names none of this server's representations, or the wrong
/// one, or several with qualities.
const ODD_ACCEPTS: [&str; 5] = [
    "application/json",
    "text/html",
    "application/xml;q=0.9, image/*;q=0.1",
    "application/json;q=0",
    "*/*",
];

async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    auth: &str,
    accept: &str,
    body: Option<&Value>,
) -> TestResponse {
    let mut r = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, auth)
        .header(header::ACCEPT, accept);
    let body = match body {
        Some(v) => {
            r = r.header(header::CONTENT_TYPE, "application/json");
            Body::from(v.to_string())
        }
        None => Body::empty(),
    };
    app.send(r.body(body).unwrap()).await
}

async fn every_operation_sends_its_one_representation(app: TestApp) {
    let s = Shop::new(&app, 3).await;
    let bearer = format!("Bearer {}", s.p.token);
    let b = booked(&app, &s, day(1), day(3), ("Ann", "Lee", "ann@example.com")).await;
    let id = b["id"].as_str().unwrap();
    let passkey = app
        .get(&format!("{}/caldav/auth/regen", s.root()), &s.p.token)
        .await
        .json["passkey"]
        .as_str()
        .unwrap()
        .to_string();
    let feed_auth = format!(
        "Basic {}",
        STANDARD.encode(format!("{}:{passkey}", s.property))
    );
    let report = report_request(&[("Code", "bookingCode")], json!({}));

    for accept in ODD_ACCEPTS {
        // JSON.
        let r = send(
            &app,
            Method::GET,
            &format!("{}/facility/room-type/list", s.root()),
            &bearer,
            accept,
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{accept}: {}", r.json);
        assert_eq!(r.content_type(), "application/json", "{accept}");
        assert_eq!(r.json[0]["name"], "Deluxe", "{accept}");
        // The booking confirmation PDF.
        let r = send(
            &app,
            Method::GET,
            &format!("{}/booking/{id}/report/pdf", s.root()),
            &bearer,
            accept,
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{accept}: {}", r.json);
        assert_eq!(r.content_type(), "application/pdf", "{accept}");
        assert!(r.bytes.starts_with(b"%PDF-"), "{accept}");
        // The CSV report.
        let r = send(
            &app,
            Method::POST,
            &format!("{}/report/csv", s.root()),
            &bearer,
            accept,
            Some(&report),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{accept}: {}", r.json);
        assert_eq!(r.content_type(), "text/csv; charset=utf-8", "{accept}");
        assert_eq!(
            String::from_utf8(r.bytes).unwrap(),
            format!("Code\r\n{}\r\n", b["bookingCode"].as_str().unwrap()),
            "{accept}"
        );
        // The iCalendar feed.
        let r = send(
            &app,
            Method::GET,
            &format!("/api/cal/property/{}/booking/list", s.property),
            &feed_auth,
            accept,
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{accept}: {}", r.json);
        assert_eq!(r.content_type(), "text/calendar; charset=utf-8", "{accept}");
        assert!(r.bytes.starts_with(b"BEGIN:VCALENDAR\r\n"), "{accept}");
    }
}

async fn errors_stay_problem_details(app: TestApp) {
    let s = Shop::new(&app, 3).await;
    let bearer = format!("Bearer {}", s.p.token);
    // A client asking for the PDF of a missing booking gets a problem, not an empty PDF.
    let missing = uuid::Uuid::new_v4();
    let r = send(
        &app,
        Method::GET,
        &format!("{}/booking/{missing}/report/pdf", s.root()),
        &bearer,
        "application/pdf",
        None,
    )
    .await;
    r.problem(StatusCode::NOT_FOUND);
    // A refused report, asked for as CSV: a problem naming the field.
    let mut report = report_request(&[("Code", "bookingCode")], json!({}));
    report["reportDataType"] = json!("USER");
    let r = send(
        &app,
        Method::POST,
        &format!("{}/report/csv", s.root()),
        &bearer,
        "text/csv",
        Some(&report),
    )
    .await;
    assert_eq!(r.invalid_fields(), ["/reportDataType"]);
    // The feed without its passkey, asked for as a calendar.
    let r = send(
        &app,
        Method::GET,
        &format!("/api/cal/property/{}/booking/list", s.property),
        "Basic eDp5",
        "text/calendar",
        None,
    )
    .await;
    r.problem(StatusCode::UNAUTHORIZED);
    // Without a token, whatever Accept says.
    let r = app
        .send(
            Request::builder()
                .uri(format!("{}/facility/room-type/list", s.root()))
                .header(header::ACCEPT, "text/html")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    r.problem(StatusCode::UNAUTHORIZED);
    // An Accept that is not a list of media ranges is refused, as the contract's schema of the
    // header says.
    for bad in ["AAA", "null", "", "hd/3H", "application/json, hd/3H"] {
        let r = send(
            &app,
            Method::GET,
            &format!("{}/booking/{missing}/report/pdf", s.root()),
            &bearer,
            bad,
            None,
        )
        .await;
        assert_eq!(r.invalid_fields(), ["Accept"], "{bad:?}");
    }
    // The platform's other header is still checked.
    let r = app
        .send(
            Request::builder()
                .uri(format!("{}/facility/room-type/list", s.root()))
                .header(header::AUTHORIZATION, &bearer)
                .header(header::ACCEPT, "text/html")
                .header("wink-version", "1.0")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.invalid_fields(), ["Wink-Version"]);
}

on_both_engines!(
    every_operation_sends_its_one_representation,
    errors_stay_problem_details
);
