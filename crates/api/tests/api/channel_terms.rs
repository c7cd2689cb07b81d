//! A sales channel's terms really change what is sold on it: disabled or blacklisted channels are
//! offered nothing, a channel discount lowers its offers and bookings (and no other channel's),
//! its commission shows on offers and bookings, promotions and bundles switched off on one
//! channel still apply on the others, and removing a channel keeps its bookings.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::bookings::{Shop, day};
use crate::cancellation_policies::create;
use crate::fixtures;
use crate::fx::{RATES, load_rates};
use crate::on_both_engines;
use crate::sales_channels::{accepted_channel, owner};
use crate::support::{TestApp, TestResponse};

/// The terms of a PATCH, with nothing switched on or off.
fn terms(enabled: bool, blacklisted: bool, discount: f64, commission: f64) -> Value {
    json!({ "enabled": enabled, "blacklisted": blacklisted,
            "percentDiscount": discount, "commission": commission })
}

async fn set_terms(app: &TestApp, s: &Shop, channel: &str, body: &Value) -> TestResponse {
    app.patch(
        &format!("{}/sales/account/{channel}", s.root()),
        &s.p.token,
        body,
    )
    .await
}

/// The shop's query for two nights (day 2 to day 4) on the channel of `owner`, in `currency`.
fn query_on(s: &Shop, owner: &str, name: &str, currency: &str) -> Value {
    let mut q = s.query(day(2), day(4), 2);
    q["channel"]["ownerIdentifier"] = json!(owner);
    q["channel"]["name"] = json!(name);
    q["currency"] = json!(currency);
    q
}

fn amount(v: &Value) -> f64 {
    v["amount"]
        .as_f64()
        .unwrap_or_else(|| panic!("an amount: {v}"))
}

/// A second channel of the shop's property, to a corporate: (owner id, channel id).
async fn corporate_channel(app: &TestApp, s: &Shop) -> (String, String) {
    let corporate = owner(app, "Acme Corp", "CORPORATE").await;
    let channel = accepted_channel(app, s.property, corporate).await;
    (corporate.to_string(), channel)
}

async fn a_disabled_or_blacklisted_channel_is_offered_nothing(app: TestApp) {
    let s = Shop::new(&app, 5).await;
    let agent = s.agent.to_string();
    let q = query_on(&s, &agent, "Globetrotter Travel", "THB");
    let offer = s.offer(&app, &q).await;
    assert_eq!(amount(&offer["sourceTotal"]), 4050.0);

    let r = set_terms(&app, &s, &s.channel, &terms(false, false, 0.0, 0.0)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["enabled"], false);
    assert_eq!(r.json["version"], 2);
    assert_eq!(r.headers["etag"], "\"2\"");

    let list = s.room_list(&app, &q).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.json);
    let room = &list.json[0];
    let offered = &room["accessibleAvailability"][0];
    assert!(offered.get("priceConfigurations").is_none(), "{offered}");
    assert_eq!(offered["available"], false);
    let refused = &room["inaccessibleMasterRates"][0];
    assert_eq!(refused["identifier"], json!(s.master));
    assert_eq!(refused["map"]["codes"], "SALES_CHANNEL_DISABLED");
    assert_eq!(refused["reasons"], json!(["sales channel is disabled"]));

    // The offer listed before is not bookable any more, and the problem says why.
    let booking = s.booking_request(&q, &offer, ("Ann", "Lee", "ann@example.com"));
    let r = s.book(&app, &booking).await;
    let detail = r.problem(StatusCode::CONFLICT)["detail"].as_str().unwrap();
    assert!(detail.contains("sales channel is disabled"), "{detail}");

    // Blacklisted is refused the same way, with its own code.
    let r = set_terms(&app, &s, &s.channel, &terms(true, true, 0.0, 0.0)).await;
    assert_eq!(
        (r.status, &r.json["blacklisted"]),
        (StatusCode::OK, &json!(true))
    );
    let list = s.room_list(&app, &q).await;
    assert_eq!(
        list.json[0]["inaccessibleMasterRates"][0]["map"]["codes"],
        "SALES_CHANNEL_BLACKLISTED"
    );
    let r = s.book(&app, &booking).await;
    let detail = r.problem(StatusCode::CONFLICT)["detail"].as_str().unwrap();
    assert!(detail.contains("sales channel is blacklisted"), "{detail}");

    // Open again: offered, at the same price.
    let r = set_terms(&app, &s, &s.channel, &terms(true, false, 0.0, 0.0)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(s.offer(&app, &q).await["sourceTotal"], offer["sourceTotal"]);
    let r = s.book(&app, &booking).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
}

async fn a_channel_discount_lowers_its_offers_and_bookings_only(app: TestApp) {
    load_rates(&app, RATES).await;
    let s = Shop::new(&app, 5).await;
    let (corporate, _) = corporate_channel(&app, &s).await;
    let r = set_terms(&app, &s, &s.channel, &terms(true, false, 0.1, 0.0)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["percentDiscount"], 0.1);

    let agent = s.agent.to_string();
    let on_agent = query_on(&s, &agent, "Globetrotter Travel", "USD");
    let offer = s.offer(&app, &on_agent).await;
    // Two nights of 2000 THB, 10 % off each, and the 50 THB city tax (fees are not discounted).
    assert_eq!(amount(&offer["sourceTotal"]), 3650.0);
    let price = &offer["price"];
    assert_eq!(amount(&price["sourceTotal"]), 3600.0);
    assert_eq!(price["sourcePromotionalModifier"], -400.0);
    // In the internal and the user's currency too, as a reduction.
    for key in [
        "internalPromotionalModifier",
        "userSpecifiedCurrencyPromotionalModifier",
    ] {
        assert!(price[key].as_f64().unwrap() < 0.0, "{key}: {price}");
    }
    assert_eq!(price["totalDiscountPercent"], 10.0);
    let night = &price["list"][0];
    assert_eq!(amount(&night["sourceRate"]), 1800.0);
    assert_eq!(night["sourcePromotionalModifier"], -200.0);
    assert!(
        night["userSpecifiedCurrencyPromotionalModifier"]
            .as_f64()
            .unwrap()
            < 0.0
    );

    // The other channel pays the property's price.
    let on_corporate = query_on(&s, &corporate, "Acme Corp", "USD");
    let other = s.offer(&app, &on_corporate).await;
    assert_eq!(amount(&other["sourceTotal"]), 4050.0);
    assert!(other["price"].get("sourcePromotionalModifier").is_none());

    // The booking on the channel costs what its offer said, in all three currencies.
    let r = s
        .book(
            &app,
            &s.booking_request(&on_agent, &offer, ("Ann", "Lee", "ann@example.com")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let stay = &r.json["roomStay"];
    for key in ["sourceTotal", "internalTotal", "userSpecifiedCurrencyTotal"] {
        assert_eq!(stay[key], offer[key], "{key}");
    }
    assert_eq!(stay["price"]["sourcePromotionalModifier"], -400.0);
    assert_eq!(r.json["financialBreakdown"]["sourceAmount"], 3650.0);
    let r = s
        .book(
            &app,
            &s.booking_request(&on_corporate, &other, ("Bo", "Kim", "bo@example.com")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.json["financialBreakdown"]["sourceAmount"], 4050.0);
}

async fn commission_shows_on_offers_and_bookings(app: TestApp) {
    let s = Shop::new(&app, 5).await;
    let (corporate, _) = corporate_channel(&app, &s).await;
    let r = set_terms(&app, &s, &s.channel, &terms(true, false, 0.0, 0.15)).await;
    assert_eq!(
        (r.status, &r.json["commission"]),
        (StatusCode::OK, &json!(0.15))
    );

    let agent = s.agent.to_string();
    let q = query_on(&s, &agent, "Globetrotter Travel", "THB");
    let offer = s.offer(&app, &q).await;
    assert_eq!(offer["commissionable"], true);
    assert_eq!(offer["commission"], 0.15);
    let other = s
        .offer(&app, &query_on(&s, &corporate, "Acme Corp", "THB"))
        .await;
    assert_eq!(
        (&other["commissionable"], &other["commission"]),
        (&json!(false), &json!(0.0))
    );

    let r = s
        .book(
            &app,
            &s.booking_request(&q, &offer, ("Ann", "Lee", "ann@example.com")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let id = r.json["id"].as_str().unwrap().to_string();
    let expect = |booking: &Value| {
        let f = &booking["financialBreakdown"];
        assert_eq!(f["sourceAmount"], 4050.0, "{f}");
        assert_eq!(f["commissionableTotalSourceAmount"], 4050.0, "{f}");
        // 15 % of 4050 THB, rounded once; the property keeps the rest.
        assert_eq!(f["totalFeesAndCommissionsSourceAmount"], 607.5, "{f}");
        assert_eq!(f["netCommissionableTotalSourceAmount"], 3442.5, "{f}");
        assert_eq!(booking["totalCommissionsInPercent"], 15.0);
    };
    expect(&r.json);
    let shown = app
        .get(&format!("{}/booking/{id}", s.root()), &s.p.token)
        .await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.json);
    expect(&shown.json);
    // Later terms do not change a booking made.
    set_terms(&app, &s, &s.channel, &terms(true, false, 0.0, 0.3)).await;
    let shown = app
        .get(&format!("{}/booking/{id}", s.root()), &s.p.token)
        .await;
    expect(&shown.json);
}

async fn a_promotion_switched_off_on_one_channel_still_applies_on_the_others(app: TestApp) {
    let s = Shop::new(&app, 5).await;
    let (corporate, corporate_channel) = corporate_channel(&app, &s).await;
    let root = s.root();
    let promotion = create(
        &app,
        &format!("{root}/promotion"),
        &s.p.token,
        &fixtures::promotion("Early bird"),
    )
    .await;
    let pairs_path = format!("{root}/sales/account/rate-modifier/{promotion}/list");
    let pairs = app.get(&pairs_path, &s.p.token).await;
    assert_eq!(pairs.status, StatusCode::OK, "{}", pairs.json);
    assert_eq!(
        pairs.json,
        json!([
            { "value": s.channel, "label": "Globetrotter Travel", "selected": true },
            { "value": corporate_channel, "label": "Acme Corp", "selected": true }
        ])
    );

    let r = app
        .patch(
            &pairs_path,
            &s.p.token,
            &json!([{ "identifier": s.channel, "enabled": false }]),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json.as_array().unwrap().len(), 1);
    assert_eq!(r.json[0]["id"], json!(s.channel));
    assert_eq!(r.json[0]["version"], 2);
    assert!(r.json[0].get("rateModifiers").is_none(), "{}", r.json);
    let pairs = app.get(&pairs_path, &s.p.token).await;
    assert_eq!(pairs.json[0]["selected"], false);
    assert_eq!(pairs.json[1]["selected"], true);
    let corporate_shown = app
        .get(
            &format!("{root}/sales/account/{corporate_channel}"),
            &s.p.token,
        )
        .await;
    assert_eq!(
        corporate_shown.json["rateModifiers"][0]["identifier"],
        json!(promotion)
    );

    // Off on the agent's channel: full price there, and the promotion says why.
    let agent = s.agent.to_string();
    let on_agent = query_on(&s, &agent, "Globetrotter Travel", "THB");
    let list = s.room_list(&app, &on_agent).await;
    let offer = list.json[0]["accessibleAvailability"][0]["priceConfigurations"][0].clone();
    assert_eq!(amount(&offer["sourceTotal"]), 4050.0);
    let not_applied = list.json[0]["inaccessibleRatePlans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["identifier"] == json!(promotion))
        .expect("the promotion is listed")
        .clone();
    assert_eq!(not_applied["map"]["codes"], "SALES_CHANNEL");
    // Still on the corporate channel: 15 % off the nights.
    let on_corporate = query_on(&s, &corporate, "Acme Corp", "THB");
    let discounted = s.offer(&app, &on_corporate).await;
    assert_eq!(amount(&discounted["sourceTotal"]), 3450.0);

    // Bookings follow.
    let r = s
        .book(
            &app,
            &s.booking_request(&on_agent, &offer, ("Ann", "Lee", "ann@example.com")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.json["financialBreakdown"]["sourceAmount"], 4050.0);
    let r = s
        .book(
            &app,
            &s.booking_request(&on_corporate, &discounted, ("Bo", "Kim", "bo@example.com")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.json["financialBreakdown"]["sourceAmount"], 3450.0);

    // On again: the agent gets it too.
    let r = app
        .patch(
            &pairs_path,
            &s.p.token,
            &json!([{ "identifier": s.channel, "enabled": true }]),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(
        amount(&s.offer(&app, &on_agent).await["sourceTotal"]),
        3450.0
    );

    // Bundles are switched the same way, on their own path.
    let second = create(
        &app,
        &format!("{root}/promotion"),
        &s.p.token,
        &fixtures::promotion("Last minute"),
    )
    .await;
    let r = app
        .post(
            &format!("{root}/promotion-bundle"),
            &s.p.token,
            &fixtures::bundle("Both", &[&promotion, &second]),
        )
        .await;
    let bundle = r.json["id"].as_str().unwrap().to_string();
    let bundle_pairs = format!("{root}/sales/account/rate-modifier-bundle/{bundle}/list");
    let r = app
        .patch(
            &bundle_pairs,
            &s.p.token,
            &json!([{ "identifier": corporate_channel, "enabled": false }]),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let pairs = app.get(&bundle_pairs, &s.p.token).await;
    assert_eq!(
        pairs
            .json
            .as_array()
            .unwrap()
            .iter()
            .map(|p| &p["selected"])
            .collect::<Vec<_>>(),
        [&json!(true), &json!(false)]
    );
}

async fn removing_a_channel_keeps_its_bookings(app: TestApp) {
    let s = Shop::new(&app, 5).await;
    let root = s.root();
    let agent = s.agent.to_string();
    let q = query_on(&s, &agent, "Globetrotter Travel", "THB");
    let offer = s.offer(&app, &q).await;
    let r = s
        .book(
            &app,
            &s.booking_request(&q, &offer, ("Ann", "Lee", "ann@example.com")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let booking = r.json["id"].as_str().unwrap().to_string();

    let r = app
        .delete(&format!("{root}/sales/account/{}", s.channel), &s.p.token)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["id"], json!(s.channel));
    // Gone from the API: not shown, not listed, sells nothing.
    let shown = app
        .get(&format!("{root}/sales/account/{}", s.channel), &s.p.token)
        .await;
    assert_eq!(shown.status, StatusCode::NOT_FOUND);
    let listed = app
        .get(&format!("{root}/sales/account/list"), &s.p.token)
        .await;
    assert_eq!(listed.json, json!([]));
    let channels = app
        .get(&format!("{root}/sandbox/channel/list"), &s.p.token)
        .await;
    assert_eq!(channels.json, json!([]));
    let list = s.room_list(&app, &q).await;
    assert_eq!(list.status, StatusCode::BAD_REQUEST, "{}", list.json);
    // The booking stays whole and readable, with its channel.
    let shown = app
        .get(&format!("{root}/booking/{booking}"), &s.p.token)
        .await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.json);
    assert_eq!(shown.json["customization"]["identifier"], json!(s.channel));
    let listed = app.get(&format!("{root}/booking/list"), &s.p.token).await;
    assert_eq!(listed.json["content"][0]["id"], json!(booking));
    let r = app
        .patch(
            &format!("{root}/booking/{booking}/cancel"),
            &s.p.token,
            &json!({ "cancellationType": "CANCELLATION", "reason": "Guest changed plans" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    // Creating a channel to that owner again brings the kept one back.
    assert_eq!(accepted_channel(&app, s.property, s.agent).await, s.channel);

    // A channel without bookings is deleted: a new one to the same owner is another channel.
    let direct = app
        .post(
            &format!("{root}/sales/account"),
            &s.p.token,
            &json!({ "ownerIdentifier": s.p.account_id, "supplierIdentifier": s.property }),
        )
        .await;
    let id = direct.json["id"].as_str().unwrap().to_string();
    let r = app
        .delete(&format!("{root}/sales/account/{id}"), &s.p.token)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let again = app
        .post(
            &format!("{root}/sales/account"),
            &s.p.token,
            &json!({ "ownerIdentifier": s.p.account_id, "supplierIdentifier": s.property }),
        )
        .await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.json);
    assert_ne!(again.json["id"], json!(id));
}

async fn channel_terms_refusals(app: TestApp) {
    let s = Shop::new(&app, 5).await;
    let root = s.root();
    let before = app
        .get(&format!("{root}/sales/account/{}", s.channel), &s.p.token)
        .await
        .json;
    for (body, field) in [
        (terms(true, false, 1.5, 0.0), "/percentDiscount"),
        (terms(true, false, 0.0, -0.1), "/commission"),
        (
            json!({ "enabled": true, "blacklisted": false, "percentDiscount": 0.1,
                    "commission": 0.1, "rateModifierIdentifiers": [s.plan] }),
            "/rateModifierIdentifiers/0",
        ),
        (json!({ "enabled": true }), "/blacklisted"),
    ] {
        let r = set_terms(&app, &s, &s.channel, &body).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}: {}", r.json);
        assert!(
            r.invalid_fields().contains(&field.to_string()),
            "{field}: {}",
            r.json
        );
    }
    // A stale If-Match is refused and nothing changes.
    let r = app
        .send(
            axum::http::Request::builder()
                .method(Method::PATCH)
                .uri(format!("{root}/sales/account/{}", s.channel))
                .header("authorization", format!("Bearer {}", s.p.token))
                .header("content-type", "application/json")
                .header("if-match", "\"7\"")
                .body(axum::body::Body::from(
                    terms(false, false, 0.0, 0.0).to_string(),
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED, "{}", r.json);
    let after = app
        .get(&format!("{root}/sales/account/{}", s.channel), &s.p.token)
        .await
        .json;
    assert_eq!(after, before);

    // Another property's channel is unknown here, in the path and in a toggle.
    let other = Shop::new(&app, 5).await;
    let r = set_terms(&app, &s, &other.channel, &terms(true, false, 0.0, 0.0)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.json);
    let promotion = create(
        &app,
        &format!("{root}/promotion"),
        &s.p.token,
        &fixtures::promotion("Early bird"),
    )
    .await;
    let r = app
        .patch(
            &format!("{root}/sales/account/rate-modifier/{promotion}/list"),
            &s.p.token,
            &json!([{ "identifier": s.channel, "enabled": false },
                    { "identifier": other.channel, "enabled": false }]),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.json);
    assert_eq!(r.invalid_fields(), ["/1/identifier"]);
    let pairs = app
        .get(
            &format!("{root}/sales/account/rate-modifier/{promotion}/list"),
            &s.p.token,
        )
        .await;
    assert_eq!(pairs.json[0]["selected"], true);
    // Another property's promotion is unknown here.
    let theirs = create(
        &app,
        &format!("{}/promotion", other.root()),
        &other.p.token,
        &fixtures::promotion("Theirs"),
    )
    .await;
    let r = app
        .get(
            &format!("{root}/sales/account/rate-modifier/{theirs}/list"),
            &s.p.token,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.json);
}

on_both_engines!(
    a_disabled_or_blacklisted_channel_is_offered_nothing,
    a_channel_discount_lowers_its_offers_and_bookings_only,
    commission_shows_on_offers_and_bookings,
    a_promotion_switched_off_on_one_channel_still_applies_on_the_others,
    removing_a_channel_keeps_its_bookings,
    channel_terms_refusals,
);
