//! Calendar sync: the passkey (shown once, replaced by regeneration) and the iCalendar feed read
//! with HTTP Basic, parsed back with an iCalendar parser.

use std::collections::HashMap;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;
use uuid::Uuid;

use crate::booking_lifecycle::{booked, cancel_body};
use crate::bookings::{Shop, day};
use crate::on_both_engines;
use crate::support::{TestApp, TestResponse};

async fn feed(app: &TestApp, property: &str, auth: Option<String>) -> TestResponse {
    let mut r = Request::builder()
        .method(Method::GET)
        .uri(format!("/api/cal/property/{property}/booking/list"));
    if let Some(auth) = auth {
        r = r.header(header::AUTHORIZATION, auth);
    }
    app.send(r.body(Body::empty()).unwrap()).await
}

fn basic(user: &str, password: &str) -> Option<String> {
    Some(format!(
        "Basic {}",
        STANDARD.encode(format!("{user}:{password}"))
    ))
}

/// The events of a feed: each a map of property name → (parameters, value), parsed by `ical`.
fn events(body: &[u8]) -> Vec<HashMap<String, (Vec<String>, String)>> {
    let text = std::str::from_utf8(body).unwrap();
    // RFC 5545: CRLF line ends, no physical line longer than 75 octets.
    assert!(text.ends_with("\r\n"));
    for line in text.split("\r\n") {
        assert!(!line.contains('\n'), "bare LF in {line:?}");
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    let mut calendars = ical::IcalParser::new(std::io::BufReader::new(body));
    let calendar = calendars
        .next()
        .expect("one calendar")
        .expect("a valid calendar");
    assert!(calendars.next().is_none());
    let head: HashMap<String, String> = calendar
        .properties
        .iter()
        .map(|p| (p.name.clone(), p.value.clone().unwrap_or_default()))
        .collect();
    assert_eq!(head["VERSION"], "2.0");
    assert_eq!(head["PRODID"], "-//wink-supplier//Calendar Sync//EN");
    assert_eq!(head["X-WR-CALNAME"], "Test Hotel Bangkok bookings");
    calendar
        .events
        .iter()
        .map(|e| {
            e.properties
                .iter()
                .map(|p| {
                    let params = p
                        .params
                        .iter()
                        .flatten()
                        .map(|(k, v)| format!("{k}={}", v.join(",")))
                        .collect();
                    (
                        p.name.clone(),
                        (params, p.value.clone().unwrap_or_default()),
                    )
                })
                .collect()
        })
        .collect()
}

fn value<'a>(event: &'a HashMap<String, (Vec<String>, String)>, name: &str) -> &'a str {
    &event
        .get(name)
        .unwrap_or_else(|| panic!("{name} missing from {event:?}"))
        .1
}

async fn passkey_and_feed(app: TestApp) {
    let s = Shop::new(&app, 3).await;
    let root = s.root();
    let property = s.property.to_string();

    // No passkey yet: 404, and the feed answers nobody.
    app.get(&format!("{root}/caldav/auth"), &s.p.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    let r = feed(&app, &property, basic(&property, "pkey_guess")).await;
    r.problem(StatusCode::UNAUTHORIZED);

    // Generated: shown once.
    let r = app
        .get(&format!("{root}/caldav/auth/regen"), &s.p.token)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let passkey = r.json["passkey"].as_str().unwrap().to_string();
    assert!(
        passkey.starts_with("pkey_") && passkey.len() > 40,
        "{passkey}"
    );
    let url = format!("http://localhost/api/cal/property/{property}/booking/list");
    assert_eq!(r.json["hotelIdentifier"], property.as_str());
    assert_eq!(r.json["url"], url.as_str());
    let identifier = r.json["identifier"].clone();
    let shown = app.get(&format!("{root}/caldav/auth"), &s.p.token).await;
    assert_eq!(
        shown.json,
        serde_json::json!({ "identifier": identifier, "hotelIdentifier": property, "url": url })
    );

    // Two bookings; names with the characters iCalendar escapes.
    let first = booked(
        &app,
        &s,
        day(2),
        day(4),
        ("Zoë", "Dupont, Jr.", "zoe@example.com"),
    )
    .await;
    let second = booked(
        &app,
        &s,
        day(6),
        day(7),
        ("Bo", "Li; Chen", "bo@example.com"),
    )
    .await;
    let r = feed(&app, &property, basic(&property, &passkey)).await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.bytes)
    );
    assert_eq!(r.content_type(), "text/calendar; charset=utf-8");
    let list = events(&r.bytes);
    assert_eq!(list.len(), 2);
    let id = |b: &Value| b["id"].as_str().unwrap().to_string();
    let code = |b: &Value| b["bookingCode"].as_str().unwrap().to_string();
    let e = &list[0];
    assert_eq!(value(e, "UID"), format!("{}@localhost", id(&first)));
    assert_eq!(e["DTSTART"].0, ["VALUE=DATE"]);
    assert_eq!(value(e, "DTSTART"), day(2).format("%Y%m%d").to_string());
    assert_eq!(value(e, "DTEND"), day(4).format("%Y%m%d").to_string());
    assert_eq!(
        value(e, "SUMMARY"),
        format!("Zoë Dupont\\, Jr.\\, Deluxe\\, {}", code(&first))
    );
    assert_eq!(value(e, "STATUS"), "CONFIRMED");
    assert_eq!(value(e, "SEQUENCE"), "0");
    assert!(value(e, "DTSTAMP").ends_with('Z'));
    let description = value(e, "DESCRIPTION");
    assert!(description.len() > 75, "long enough to be folded");
    assert!(
        description.contains("\\nTotal: 4050 THB\\n"),
        "{description}"
    );
    assert_eq!(
        value(&list[1], "SUMMARY"),
        format!("Bo Li\\; Chen\\, Deluxe\\, {}", code(&second))
    );

    // Cancelled: the same event, CANCELLED, its sequence bumped.
    let r = app
        .patch(
            &format!("{root}/booking/{}/cancel", id(&first)),
            &s.p.token,
            &cancel_body("CANCELLATION", "Plans changed"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let list = events(
        &feed(&app, &property, basic(&property, &passkey))
            .await
            .bytes,
    );
    assert_eq!(value(&list[0], "UID"), format!("{}@localhost", id(&first)));
    assert_eq!(value(&list[0], "STATUS"), "CANCELLED");
    assert_eq!(value(&list[0], "SEQUENCE"), "1");
    assert_eq!(value(&list[1], "STATUS"), "CONFIRMED");

    // Wrong credentials of every kind: 401 with a Basic challenge, nothing else told.
    let unknown = Uuid::new_v4().to_string();
    for (path, auth) in [
        (property.as_str(), None),
        (property.as_str(), basic(&property, "pkey_wrong")),
        (property.as_str(), basic(&unknown, &passkey)),
        (property.as_str(), Some(format!("Bearer {}", s.p.token))),
        (unknown.as_str(), basic(&unknown, &passkey)),
        (unknown.as_str(), basic(&property, &passkey)),
        ("not-a-property", basic(&property, &passkey)),
    ] {
        let r = feed(&app, path, auth.clone()).await;
        r.problem(StatusCode::UNAUTHORIZED);
        assert!(
            r.headers[header::WWW_AUTHENTICATE]
                .to_str()
                .unwrap()
                .starts_with("Basic realm="),
            "{path} {auth:?}"
        );
    }

    // Regenerated: the old passkey stops working at once, the new one works.
    let r = app
        .get(&format!("{root}/caldav/auth/regen"), &s.p.token)
        .await;
    let renewed = r.json["passkey"].as_str().unwrap().to_string();
    assert_ne!(renewed, passkey);
    assert_eq!(r.json["identifier"], identifier, "the same connection");
    feed(&app, &property, basic(&property, &passkey))
        .await
        .problem(StatusCode::UNAUTHORIZED);
    assert_eq!(
        feed(&app, &property, basic(&property, &renewed))
            .await
            .status,
        StatusCode::OK
    );
    // Another property's passkey opens only its own feed.
    let other = Shop::new(&app, 1).await;
    let theirs = app
        .get(
            &format!("{}/caldav/auth/regen", other.root()),
            &other.p.token,
        )
        .await
        .json["passkey"]
        .as_str()
        .unwrap()
        .to_string();
    feed(&app, &property, basic(&property, &theirs))
        .await
        .problem(StatusCode::UNAUTHORIZED);
    let r = feed(
        &app,
        &other.property.to_string(),
        basic(&other.property.to_string(), &theirs),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(events(&r.bytes).is_empty());
}

/// The feed shows the stays that ended at most a year ago at the property: a stay whose
/// departure is exactly `FEED_DAYS_BACK` days before today is in it, a day later it is not.
async fn the_feed_looks_back_one_year(app: TestApp) {
    use std::sync::Arc;
    // `FEED_DAYS_BACK` of the caldav module (not public).
    const FEED_DAYS_BACK: u64 = 365;
    let clock = Arc::new(wink_api::clock::ManualClock::at(
        crate::support::start_instant(),
    ));
    let app = app.with_clock(clock.clone()).await;
    let s = Shop::new(&app, 3).await;
    let property = s.property.to_string();
    let r = app
        .get(&format!("{}/caldav/auth/regen", s.root()), &s.p.token)
        .await;
    let passkey = r.json["passkey"].as_str().unwrap().to_string();
    let stay = booked(&app, &s, day(2), day(4), ("Ann", "Lee", "ann@example.com")).await;
    let uids = async || -> Vec<String> {
        let r = feed(&app, &property, basic(&property, &passkey)).await;
        assert_eq!(r.status, StatusCode::OK);
        events(&r.bytes)
            .iter()
            .map(|e| value(e, "UID").to_string())
            .collect()
    };
    let uid = format!("{}@localhost", stay["id"].as_str().unwrap());
    assert_eq!(uids().await, std::slice::from_ref(&uid));
    // Today at the property is the departure day + FEED_DAYS_BACK (10:00 in Bangkok): still in.
    let departure_plus =
        |days: u64| crate::support::start_instant() + chrono::Duration::days((4 + days) as i64);
    clock.set(departure_plus(FEED_DAYS_BACK));
    assert_eq!(uids().await, std::slice::from_ref(&uid));
    // 23:59 that day at the property (16:59 UTC): still in.
    clock.set(departure_plus(FEED_DAYS_BACK) + chrono::Duration::minutes(13 * 60 + 59));
    assert_eq!(uids().await, std::slice::from_ref(&uid));
    // Midnight at the property: a year and a day after the departure, out.
    clock.set(departure_plus(FEED_DAYS_BACK) + chrono::Duration::hours(14));
    assert_eq!(uids().await, Vec::<String>::new());
}

on_both_engines!(passkey_and_feed, the_feed_looks_back_one_year);
