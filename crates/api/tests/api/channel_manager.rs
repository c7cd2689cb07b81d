//! Tag "Channel Manager": a property's rate provider, another account whose clients read and
//! write the property's rates, restrictions and availability, and nothing else.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};

use crate::bookings::{Shop, day};
use crate::on_both_engines;
use crate::support::{Persona, TestApp};

fn provider(value: &str, label: &str) -> Value {
    json!({ "rateProvider": { "value": value, "label": label } })
}

/// A `rate/update` of the shop's room and plan on `day(2)`: 3 rooms at `price`.
fn rate_update(s: &Shop, price: u32) -> Value {
    json!([{
        "key": { "hotelIdentifier": s.property, "ratePlanIdentifier": s.plan,
                 "guestRoomIdentifier": s.room, "date": day(2) },
        "value": { "quantity": 3, "rate": price, "closedOnArrival": true }
    }])
}

/// Reads, as `who`, the daily rate of the shop's master rate on `day(2)`.
async fn read_rate(app: &TestApp, s: &Shop, who: &Persona) -> (StatusCode, Value) {
    let r = app
        .post(
            &format!("{}/master-rate/{}/rates/dates", s.root(), s.master),
            &who.token,
            &json!({ "startDate": day(2), "endDate": day(2) }),
        )
        .await;
    (r.status, r.json)
}

async fn a_rate_provider_reaches_rates_only(app: TestApp) {
    let s = Shop::new(&app, 5).await;
    let other = Shop::new(&app, 5).await;
    let root = s.root();
    let manager = app.persona(&[]).await;
    let channel_manager = format!("{root}/channel-manager");

    // Before: the channel manager's account sees nothing of the property.
    let (status, _) = read_rate(&app, &s, &manager).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Only the owner sets it; the answer is the property with its provider.
    let r = app
        .patch(
            &channel_manager,
            &manager.token,
            &provider(&manager.account_id.to_string(), "CM"),
        )
        .await;
    r.problem(StatusCode::NOT_FOUND);
    let r = app
        .patch(
            &channel_manager,
            &s.p.token,
            &provider(&manager.account_id.to_string(), " SiteLink CM "),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["id"], s.property.to_string());
    assert_eq!(
        r.json["rateProvider"],
        json!({ "value": manager.account_id.to_string(), "label": "SiteLink CM" })
    );
    let shown = app.get(&format!("{root}/property"), &s.p.token).await;
    assert_eq!(shown.json["rateProvider"], r.json["rateProvider"]);

    // The provider writes rates, restrictions and availability of this property, and reads them.
    let r = app
        .put(
            &format!("{root}/rate/update"),
            &manager.token,
            &rate_update(&s, 2500),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let r = app
        .put(
            &format!("{root}/master-rate/{}/rate/bulk", s.master),
            &manager.token,
            &json!({ "startDate": day(3), "endDate": day(4), "rateSource": "TRAVELIKO", "master": true,
                     "closedOnArrival": false, "closedOnDeparture": false, "numberOfUnits": 2,
                     "rate": { "amount": 2100, "currency": "THB" } }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let (status, rates) = read_rate(&app, &s, &manager).await;
    assert_eq!(status, StatusCode::OK, "{rates}");
    assert_eq!(rates[0]["quantity"], 3);
    assert_eq!(rates[0]["closedOnArrival"], true);
    // The owner sees what the provider wrote.
    let (_, owners) = read_rate(&app, &s, &s.p).await;
    assert_eq!(owners, rates);
    let r = app
        .get(&format!("{root}/master-rate/list"), &manager.token)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json[0]["id"], s.master);

    // Nothing of another property.
    let r = app
        .put(
            &format!("{}/rate/update", other.root()),
            &manager.token,
            &rate_update(&other, 1),
        )
        .await;
    r.problem(StatusCode::NOT_FOUND);
    let (status, _) = read_rate(&app, &other, &manager).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Nothing else of this one: bookings, content, room types, rate plans, the setting itself.
    for path in [
        "booking/list".to_string(),
        "property".to_string(),
        "facility/room-type/list".to_string(),
        format!("facility/room-type/{}", s.room),
        "rate-plan/list".to_string(),
        "promotion/list".to_string(),
        "cancellation-policy/list".to_string(),
    ] {
        let r = app.get(&format!("{root}/{path}"), &manager.token).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.json);
    }
    let r = app
        .patch(
            &format!("{root}/master-rate/{}/toggle", s.master),
            &manager.token,
            &json!({ "enabled": false }),
        )
        .await;
    r.problem(StatusCode::NOT_FOUND);
    let r = app
        .patch(&channel_manager, &manager.token, &provider("NONE", "None"))
        .await;
    r.problem(StatusCode::NOT_FOUND);

    // Scopes still apply: a provider client without inventory.write cannot write.
    let reader = app
        .persona_of(manager.account_id, &["inventory.read"])
        .await;
    let r = app
        .put(
            &format!("{root}/rate/update"),
            &reader.token,
            &rate_update(&s, 1),
        )
        .await;
    r.problem(StatusCode::FORBIDDEN);
    let (status, _) = read_rate(&app, &s, &reader).await;
    assert_eq!(status, StatusCode::OK);

    // Removed: the access is gone at once.
    let r = app
        .patch(&channel_manager, &s.p.token, &provider("NONE", "None"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert!(r.json.get("rateProvider").is_none(), "{}", r.json);
    let (status, _) = read_rate(&app, &s, &manager).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let r = app
        .put(
            &format!("{root}/rate/update"),
            &manager.token,
            &rate_update(&s, 1),
        )
        .await;
    r.problem(StatusCode::NOT_FOUND);
    let (_, owners) = read_rate(&app, &s, &s.p).await;
    assert_eq!(owners, rates, "the refused write changed nothing");
}

async fn a_rate_provider_is_an_account(app: TestApp) {
    let s = Shop::new(&app, 1).await;
    let url = format!("{}/channel-manager", s.root());
    let r = app
        .patch(&url, &s.p.token, &provider("SiteLink", "SiteLink"))
        .await;
    assert_eq!(r.invalid_fields(), ["/rateProvider/value"]);
    let r = app
        .patch(
            &url,
            &s.p.token,
            &provider(&uuid::Uuid::new_v4().to_string(), "Nobody"),
        )
        .await;
    assert_eq!(r.invalid_fields(), ["/rateProvider/value"]);
    let r = app
        .patch(
            &url,
            &s.p.token,
            &provider(&s.p.account_id.to_string(), "Me"),
        )
        .await;
    assert_eq!(r.invalid_fields(), ["/rateProvider/value"]);
    let r = app.patch(&url, &s.p.token, &json!({})).await;
    assert_eq!(r.invalid_fields(), ["/rateProvider"]);
    let manager = app.persona(&[]).await;
    let r = app
        .patch(
            &url,
            &s.p.token,
            &provider(&manager.account_id.to_string(), "   "),
        )
        .await;
    assert_eq!(r.invalid_fields(), ["/rateProvider/label"]);
    // None of these stored a provider.
    let shown = app.get(&format!("{}/property", s.root()), &s.p.token).await;
    assert!(shown.json.get("rateProvider").is_none(), "{}", shown.json);
    let version = shown.json["version"].as_i64().unwrap();

    // The setting is part of the property's record: a stale If-Match is refused and stores
    // nothing; a current one moves the version by one.
    let conditional = |v: i64| {
        Request::builder()
            .method(Method::PATCH)
            .uri(&url)
            .header(header::AUTHORIZATION, format!("Bearer {}", s.p.token))
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::IF_MATCH, format!("\"{v}\""))
            .body(Body::from(
                provider(&manager.account_id.to_string(), "CM").to_string(),
            ))
            .unwrap()
    };
    app.send(conditional(version - 1))
        .await
        .problem(StatusCode::PRECONDITION_FAILED);
    let shown = app.get(&format!("{}/property", s.root()), &s.p.token).await;
    assert!(shown.json.get("rateProvider").is_none(), "{}", shown.json);
    let r = app.send(conditional(version)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["version"], version + 1);
    assert_eq!(r.json["rateProvider"]["label"], "CM");

    // Another provider replaces the first; removing twice is fine.
    let second = app.persona(&[]).await;
    for who in [&manager, &second] {
        let r = app
            .patch(
                &url,
                &s.p.token,
                &provider(&who.account_id.to_string(), "CM"),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    }
    let (status, _) = read_rate(&app, &s, &manager).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = read_rate(&app, &s, &second).await;
    assert_eq!(status, StatusCode::OK);
    for _ in 0..2 {
        let r = app.patch(&url, &s.p.token, &provider("none", "None")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    }
}

on_both_engines!(
    a_rate_provider_reaches_rates_only,
    a_rate_provider_is_an_account
);
