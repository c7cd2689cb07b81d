//! Tag "Affiliate": the accounts that sell a property, with sums of their stored bookings, and
//! invitations recorded in the outbox.

use axum::http::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::booking_grid::{book, five_guests};
use crate::bookings::day;
use crate::on_both_engines;
use crate::sales_channels::{accepted_channel, channel_request, owner};
use crate::support::{TestApp, base};

async fn browse(app: &TestApp, root: &str, token: &str, body: Value) -> Value {
    let r = app
        .post(&format!("{root}/sales/affiliate/grid"), token, &body)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    r.json
}

fn names(page: &Value) -> Vec<String> {
    page["content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["ownerName"].as_str().unwrap().to_string())
        .collect()
}

async fn affiliate_sales_are_the_sums_of_stored_bookings(app: TestApp) {
    // Globetrotter (the shop's agent) sold five stays; Ann Lee's (4050) was cancelled, so
    // 6050 + 2050 + 4050 + 2050 = 14200 THB hold, 3550 on average.
    let (s, _) = five_guests(&app).await;
    let root = s.root();
    let token = &s.p.token;
    // Acme sells one stay (2050) through its own channel; the property's own account has a
    // direct channel and no bookings yet.
    let acme = owner(&app, "Acme Corp", "CORPORATE").await;
    accepted_channel(&app, s.property, acme).await;
    let mut query = s.query(day(12), day(13), 2);
    query["channel"]["ownerIdentifier"] = json!(acme.to_string());
    query["channel"]["subType"] = json!("CORPORATE");
    query["channel"]["name"] = json!("Acme Corp");
    let offer = s.offer(&app, &query).await;
    let r = s
        .book(
            &app,
            &s.booking_request(&query, &offer, ("Zoe", "Ng", "zoe@example.com")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.json["customization"]["ownerIdentifier"], json!(acme));
    let r = app
        .post(
            &format!("{root}/sales/account"),
            token,
            &channel_request(s.property, s.p.account_id),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);

    // Default order: biggest sellers first.
    let page = browse(&app, &root, token, json!({})).await;
    assert_eq!(
        page,
        json!({
            "content": [
                { "ownerIdentifier": s.agent, "type": "TRAVEL_AGENT", "ownerName": "Globetrotter Travel",
                  "bookings": 4, "totalPriceAmount": 14200.0, "averageBookingAmount": 3550.0,
                  "currencyCode": "THB" },
                { "ownerIdentifier": acme, "type": "CORPORATE", "ownerName": "Acme Corp",
                  "bookings": 1, "totalPriceAmount": 2050.0, "averageBookingAmount": 2050.0,
                  "currencyCode": "THB" },
                { "ownerIdentifier": s.p.account_id, "type": "HOTEL", "ownerName": "Test Hotels",
                  "bookings": 0, "totalPriceAmount": 0.0, "averageBookingAmount": 0.0,
                  "currencyCode": "THB" }
            ],
            "first": true, "last": true, "number": 0, "numberOfElements": 3, "size": 30,
            "totalElements": 3, "totalPages": 1
        })
    );
    // The grid's figures agree with the property's overview (the same stored bookings).
    let overview = app.get(&format!("{root}/booking/overview"), token).await;
    assert_eq!(
        (
            &overview.json["bookings"],
            &overview.json["totalPriceAmount"]
        ),
        (&json!(5), &json!(16250.0))
    );

    // Filters, sorts and pages through the one grid engine.
    let by = |field: &str, op: &str, value: Value| json!({ "filter": { "logic": "and", "filters": [{ "field": field, "operator": op, "value": value }] } });
    let p = browse(
        &app,
        &root,
        token,
        by("totalPriceAmount", "gte", json!(2050)),
    )
    .await;
    assert_eq!(names(&p), ["Globetrotter Travel", "Acme Corp"]);
    let p = browse(&app, &root, token, by("bookings", "eq", json!(0))).await;
    assert_eq!(names(&p), ["Test Hotels"]);
    let p = browse(
        &app,
        &root,
        token,
        by("type", "in", json!(["CORPORATE", "HOTEL"])),
    )
    .await;
    assert_eq!(names(&p), ["Acme Corp", "Test Hotels"]);
    let p = browse(
        &app,
        &root,
        token,
        json!({ "filter": { "filters": [{ "field": "ownerName", "operator": "contains", "value": "trotter", "ignoreCase": true }] } }),
    )
    .await;
    assert_eq!(names(&p), ["Globetrotter Travel"]);
    let p = browse(
        &app,
        &root,
        token,
        json!({ "sort": [{ "field": "ownerName", "dir": "asc" }], "skip": 1, "take": 1 }),
    )
    .await;
    assert_eq!(names(&p), ["Globetrotter Travel"]);
    assert_eq!(
        (&p["number"], &p["totalPages"], &p["first"], &p["last"]),
        (&json!(1), &json!(3), &json!(false), &json!(false))
    );
    let p = browse(
        &app,
        &root,
        token,
        json!({ "sort": [{ "field": "averageBookingAmount", "dir": "desc" }] }),
    )
    .await;
    assert_eq!(
        names(&p),
        ["Globetrotter Travel", "Acme Corp", "Test Hotels"]
    );
    // Unknown fields, wrong values and groups: 400 naming them, nothing else.
    for (body, field) in [
        (by("guestName", "eq", json!("x")), "/filter/filters/0/field"),
        (
            by("bookings", "eq", json!("many")),
            "/filter/filters/0/value",
        ),
        (by("type", "eq", json!("PIRATE")), "/filter/filters/0/value"),
        (json!({ "group": [{ "field": "type" }] }), "/group"),
    ] {
        let r = app
            .post(&format!("{root}/sales/affiliate/grid"), token, &body)
            .await;
        assert_eq!(r.invalid_fields(), [field], "{body}");
    }

    // One affiliate in detail: the same sums, named, per property and per country.
    let r = app
        .get(&format!("{root}/sales/affiliate/{}", s.agent), token)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let metrics = |kind: &str, name: &str| {
        json!({ "type": kind, "typeName": name, "bookings": 4, "totalPriceAmount": 14200.0,
                "averageBookingAmount": 3550.0, "currencyCode": "THB" })
    };
    let mut total = metrics("BY_TOTAL", "Globetrotter Travel");
    total["typeIdentifier"] = json!(s.agent);
    let mut by_property = metrics("BY_PROPERTY", "Test Hotel Bangkok");
    by_property["typeIdentifier"] = json!(s.property);
    // The fixture property has no country: no by-country entry.
    assert_eq!(
        r.json,
        json!({ "total": total, "byPropertyList": [by_property] })
    );
    // A property with a country groups by it (here without bookings: zeros).
    let mut located = crate::fixtures::property();
    located["addressLocal"] = json!({ "city": "Bangkok", "countryCode": "TH" });
    let r = app
        .post(
            &format!("/api/property?leadId={}", Uuid::new_v4()),
            token,
            &located,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let in_thailand: Uuid = r.json["id"].as_str().unwrap().parse().unwrap();
    accepted_channel(&app, in_thailand, s.agent).await;
    let r = app
        .get(
            &format!("{}/sales/affiliate/{}", base(in_thailand), s.agent),
            token,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(
        r.json["byCountryList"],
        json!([{ "type": "BY_COUNTRY", "typeName": "TH", "bookings": 0, "totalPriceAmount": 0.0,
                 "averageBookingAmount": 0.0, "currencyCode": "THB" }])
    );

    // Not an affiliate of this property, another property's, a stranger: 404.
    let outsider = owner(&app, "Nobody Travel", "TRAVEL_AGENT").await;
    for missing in [
        outsider.to_string(),
        Uuid::new_v4().to_string(),
        "nope".into(),
    ] {
        app.get(&format!("{root}/sales/affiliate/{missing}"), token)
            .await
            .problem(StatusCode::NOT_FOUND);
    }
    let other = app.property(&s.p).await;
    app.get(
        &format!("{}/sales/affiliate/{}", base(other), s.agent),
        token,
    )
    .await
    .problem(StatusCode::NOT_FOUND);
    let stranger = app.persona(&[]).await;
    app.get(
        &format!("{root}/sales/affiliate/{}", s.agent),
        &stranger.token,
    )
    .await
    .problem(StatusCode::NOT_FOUND);
    app.post(
        &format!("{root}/sales/affiliate/grid"),
        &stranger.token,
        &json!({}),
    )
    .await
    .problem(StatusCode::NOT_FOUND);

    // A new booking moves the sums at once.
    book(&app, &s, day(15), day(16), ("Yan", "Li", "yan@example.com")).await;
    let page = browse(
        &app,
        &root,
        token,
        by("ownerIdentifier", "eq", json!(s.agent)),
    )
    .await;
    assert_eq!(
        (
            &page["content"][0]["bookings"],
            &page["content"][0]["totalPriceAmount"]
        ),
        (&json!(5), &json!(16250.0))
    );
}

async fn invite_affiliate_records_one_outbox_email(app: TestApp) {
    let p = app.persona(&[]).await;
    let property = app.property(&p).await;
    let invite = format!("{}/sales/affiliate/invite", base(property));
    let body = json!({ "hotelEmail": "desk@hotel.example.com",
                       "affiliateEmail": "Agent@Travel.example.com", "affiliateName": "Jane Agent" });
    let r = app.post(&invite, &p.token, &body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["success"], true);
    let outbox = app.store.affiliate_invitations(property).await.unwrap();
    assert_eq!(outbox.len(), 1);
    let (note, details) = &outbox[0];
    assert_eq!(
        (
            note.kind.as_str(),
            note.recipient.as_str(),
            note.booking_id,
            note.requested_by,
            note.sent_at
        ),
        (
            "AFFILIATE_INVITATION",
            "Agent@Travel.example.com",
            None,
            p.client_id,
            None
        )
    );
    assert_eq!(
        details.as_ref().map(|d| d.0.clone()),
        Some(
            json!({ "affiliateName": "Jane Agent", "replyTo": "desk@hotel.example.com",
                     "propertyName": "Test Hotel Bangkok" })
        )
    );

    // The same address again (whatever its case): not sent, saying why, with Retry-After, and
    // nothing recorded.
    let mut again = body.clone();
    again["affiliateEmail"] = json!("agent@travel.EXAMPLE.com");
    let r = app.post(&invite, &p.token, &again).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["success"], false);
    assert!(
        r.json["message"]
            .as_str()
            .unwrap()
            .contains("less than 24 hours"),
        "{}",
        r.json
    );
    let wait: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(wait > 23 * 3600 && wait <= 24 * 3600, "{wait}");
    assert_eq!(
        app.store
            .affiliate_invitations(property)
            .await
            .unwrap()
            .len(),
        1
    );

    // Bad addresses and names: 400 naming each, nothing recorded.
    for (bad, fields) in [
        (
            json!({ "hotelEmail": "desk@hotel.example.com", "affiliateEmail": "not-an-address", "affiliateName": "X" }),
            vec!["/affiliateEmail"],
        ),
        (
            json!({ "hotelEmail": "desk@localhost", "affiliateEmail": "b@example.com", "affiliateName": "X" }),
            vec!["/hotelEmail"],
        ),
        (
            json!({ "hotelEmail": "desk@hotel.example.com", "affiliateEmail": "b@example.com", "affiliateName": "Jane\r\nBcc: x" }),
            vec!["/affiliateName"],
        ),
        (
            json!({ "hotelEmail": "desk@hotel.example.com", "affiliateEmail": "b@example.com" }),
            vec!["/affiliateName"],
        ),
    ] {
        let r = app.post(&invite, &p.token, &bad).await;
        assert_eq!(r.invalid_fields(), fields, "{bad}");
    }
    assert_eq!(
        app.store
            .affiliate_invitations(property)
            .await
            .unwrap()
            .len(),
        1
    );

    // Another address is another invitation; 20 a day per property at most.
    for i in 0..19 {
        let mut next = body.clone();
        next["affiliateEmail"] = json!(format!("agent{i}@example.com"));
        let r = app.post(&invite, &p.token, &next).await;
        assert_eq!(r.status, StatusCode::OK, "{i}: {}", r.json);
    }
    let mut one_more = body.clone();
    one_more["affiliateEmail"] = json!("late@example.com");
    let r = app.post(&invite, &p.token, &one_more).await;
    assert_eq!(
        (r.status, &r.json["success"]),
        (StatusCode::OK, &json!(false))
    );
    assert!(r.headers.contains_key("retry-after"));
    assert_eq!(
        app.store
            .affiliate_invitations(property)
            .await
            .unwrap()
            .len(),
        20
    );

    // A stranger cannot invite on the property's behalf.
    let stranger = app.persona(&[]).await;
    app.post(&invite, &stranger.token, &one_more)
        .await
        .problem(StatusCode::NOT_FOUND);
}

on_both_engines!(
    affiliate_sales_are_the_sums_of_stored_bookings,
    invite_affiliate_records_one_outbox_email
);
