//! Tag "Inventory Usage": what refers to a room type or a rate plan (the other kinds of inventory:
//! `inventory`).

use axum::http::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::fixtures;
use crate::on_both_engines;
use crate::promotions::{Hotel, promotion_with};
use crate::support::{TestApp, base};

/// The usage of the hotel's two room types and two rate plans, with these promotion counts.
async fn check(app: &TestApp, h: &Hotel, counts: [usize; 4]) {
    let usage = |id: &str, name: &str, count: usize| {
        let items = if count == 0 {
            json!([])
        } else {
            json!([{ "usage": "RATE_MODIFIER", "count": count }])
        };
        json!({ "inventoryIdentifier": id, "name": name, "type": "GUEST_ROOM",
                "itemList": items, "referenced": count > 0 })
    };
    let cases = [
        ("room-type", &h.rooms[0], "Deluxe"),
        ("room-type", &h.rooms[1], "Suite"),
        ("rate-plan", &h.plans[0], "Flexible"),
        ("rate-plan", &h.plans[1], "Saver"),
    ];
    for ((kind, id, name), count) in cases.into_iter().zip(counts) {
        let path = format!("{}/inventory-usage/{kind}/{id}", h.root());
        let r = app.get(&path, &h.p.token).await;
        assert_eq!(
            (r.status, r.json),
            (StatusCode::OK, usage(id, name, count)),
            "{kind} {name}"
        );
    }
}

async fn usage_counts_promotions(app: TestApp) {
    let h = Hotel::new(&app).await;
    check(&app, &h, [0, 0, 0, 0]).await;

    // A promotion for everything names nothing.
    h.promotion(&app, &fixtures::promotion("Everyone")).await;
    check(&app, &h, [0, 0, 0, 0]).await;
    // Deluxe x Flexible through its master rate; Flexible directly (and through a master rate:
    // counted once); Suite x Saver through its master rate.
    let p = h
        .promotion(
            &app,
            &promotion_with(
                "Deluxe deal",
                json!({ "masterRateIdentifiers": [h.master(0, 0)] }),
            ),
        )
        .await;
    h.promotion(
        &app,
        &promotion_with(
            "Flexible deal",
            json!({ "ratePlanIdentifiers": [h.plans[0]], "masterRateIdentifiers": [h.master(1, 0)] }),
        ),
    )
    .await;
    let r = h
        .promotion(
            &app,
            &promotion_with(
                "Suite deal",
                json!({ "masterRateIdentifiers": [h.master(1, 1)] }),
            ),
        )
        .await;
    check(&app, &h, [1, 2, 2, 1]).await;

    // Deleting and changing promotions moves the counts.
    let one = |id: &str| format!("{}/promotion/{id}", h.root());
    assert_eq!(
        app.delete(&one(&r), &h.p.token).await.status,
        StatusCode::OK
    );
    check(&app, &h, [1, 1, 2, 0]).await;
    let changed = app
        .put(
            &one(&p),
            &h.p.token,
            &promotion_with(
                "Deluxe deal",
                json!({ "masterRateIdentifiers": [h.master(0, 1)] }),
            ),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.json);
    check(&app, &h, [1, 1, 1, 1]).await;

    // Another property's ids, an id of the other kind, and another account: 404.
    let q = app.persona(&[]).await;
    let theirs = app.property(&q).await;
    let sibling = app.property(&h.p).await;
    for (owner, token) in [(theirs, &q.token), (sibling, &h.p.token)] {
        for path in [
            format!("{}/inventory-usage/room-type/{}", base(owner), h.rooms[0]),
            format!("{}/inventory-usage/rate-plan/{}", base(owner), h.plans[0]),
        ] {
            app.get(&path, token).await.problem(StatusCode::NOT_FOUND);
        }
    }
    for path in [
        format!("{}/inventory-usage/room-type/{}", h.root(), h.plans[0]),
        format!("{}/inventory-usage/rate-plan/{}", h.root(), h.rooms[0]),
        format!("{}/inventory-usage/rate-plan/{}", h.root(), Uuid::new_v4()),
        format!("{}/inventory-usage/room-type/not-a-uuid", h.root()),
    ] {
        app.get(&path, &h.p.token)
            .await
            .problem(StatusCode::NOT_FOUND);
    }
}

/// Every kind of inventory has its usage operation; an id that names nothing of that kind is 404
/// (the kinds' answers are tested in `inventory`).
async fn every_inventory_kind_declares_its_usage(app: TestApp) {
    let h = Hotel::new(&app).await;
    let kinds = [
        "room-type",
        "rate-plan",
        "add-on",
        "spa",
        "restaurant",
        "meeting-room",
        "place",
        "attraction",
        "activity",
    ];
    for kind in kinds {
        let path = format!("{}/inventory-usage/{kind}/{}", h.root(), Uuid::new_v4());
        app.get(&path, &h.p.token)
            .await
            .problem(StatusCode::NOT_FOUND);
    }
    let doc = wink_api::openapi_document();
    let mut declared: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .filter_map(|p| p.split("/inventory-usage/").nth(1))
        .map(|rest| rest.split('/').next().unwrap())
        .collect();
    declared.sort_unstable();
    let mut expected = kinds.to_vec();
    expected.sort_unstable();
    assert_eq!(declared, expected);
}

on_both_engines!(
    usage_counts_promotions,
    every_inventory_kind_declares_its_usage
);
