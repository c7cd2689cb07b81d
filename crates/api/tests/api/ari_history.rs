//! Extension "ARI history": the ledger every rate write appends to, the calendar `asOf` an
//! instant, and the events rate writes record.

use axum::http::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::cancellation_policies::create;
use crate::fixtures;
use crate::on_both_engines;
use crate::support::{TestApp, base, start_date};

/// A property with one room type and one rate plan: (persona, property, master rate, room).
async fn setup(app: &TestApp) -> (crate::support::Persona, Uuid, String, String) {
    let p = app.persona(&[]).await;
    let property = app.property(&p).await;
    let root = base(property);
    let policy = create(
        app,
        &format!("{root}/cancellation-policy"),
        &p.token,
        &fixtures::refundable_policy(),
    )
    .await;
    let room = create(
        app,
        &format!("{root}/facility/room-type"),
        &p.token,
        &fixtures::room_type("Deluxe", 5),
    )
    .await;
    create(
        app,
        &format!("{root}/rate-plan"),
        &p.token,
        &fixtures::rate_plan("Flexible", &policy),
    )
    .await;
    let list = app
        .get(&format!("{root}/master-rate/list"), &p.token)
        .await
        .json;
    let master = list[0]["id"].as_str().unwrap().to_string();
    (p, property, master, room)
}

fn year(price: u32, units: u32) -> Value {
    let start = start_date();
    json!({ "startDate": start, "endDate": start + chrono::Days::new(364), "rateSource": "TRAVELIKO",
            "master": true, "closedOnArrival": false, "closedOnDeparture": false,
            "rate": { "amount": price, "currency": "THB" }, "numberOfUnits": units })
}

/// Every change the history answers for `query`, following `next` page by page.
async fn history(app: &TestApp, token: &str, property: Uuid, query: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut after = 0;
    loop {
        let r = app
            .get(
                &format!(
                    "/api/managing-entity/{property}/ari/history?{query}&limit=200&after={after}"
                ),
                token,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.json);
        out.extend(r.json["changes"].as_array().unwrap().iter().cloned());
        match r.json["next"].as_i64() {
            Some(next) => after = next,
            None => return out,
        }
    }
}

/// A bulk write of a year is in the ledger with its client, field by field, and only what it
/// changed; the calendar `asOf` a moment before it answers the old prices; each write records
/// one event per kind of change carrying exactly the changed cells.
async fn a_year_of_rates_is_recorded_and_answered_as_of(app: TestApp) {
    let (p, property, master, room) = setup(&app).await;
    let bulk = format!("{}/master-rate/{master}/rate/bulk", base(property));
    let r = app.put(&bulk, &p.token, &year(1000, 5)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let before_second = app.state.now();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let r = app.put(&bulk, &p.token, &year(1200, 5)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json.as_array().unwrap().len(), 365);
    assert!(
        r.json
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["rate"] == json!(1200.0) && d["quantity"] == json!(5))
    );

    let changes = history(
        &app,
        &p.token,
        property,
        &format!("masterRateIdentifier={master}"),
    )
    .await;
    // First write: a price on 365 nights (nothing else differs from a new night); second: the
    // price again. The rooms are the room type's (no master rate), listed by room type.
    assert_eq!(changes.len(), 730, "{:?}", &changes[..2]);
    assert!(changes.iter().all(|c| c["field"] == "rate"
        && c["clientIdentifier"] == json!(p.client_id)
        && c["masterRateIdentifier"] == json!(master)));
    assert_eq!(changes[0]["oldValue"], Value::Null);
    assert_eq!(changes[0]["newValue"], json!(1000));
    assert_eq!(changes[0]["date"], json!(start_date()));
    let second: Vec<&Value> = changes
        .iter()
        .filter(|c| c["newValue"] == json!(1200))
        .collect();
    assert_eq!(second.len(), 365);
    assert!(second.iter().all(|c| c["oldValue"] == json!(1000)));
    let rooms = history(
        &app,
        &p.token,
        property,
        &format!("roomTypeIdentifier={room}"),
    )
    .await;
    let units: Vec<&Value> = rooms
        .iter()
        .filter(|c| c["field"] == "numberOfUnits")
        .collect();
    assert_eq!(
        units.len(),
        365,
        "the second write set the same rooms: nothing recorded"
    );
    assert!(
        units
            .iter()
            .all(|c| c["oldValue"] == json!(0) && c["newValue"] == json!(5))
    );

    // The calendar as it stood before the second write, and now.
    let calendar = |at: String| {
        let app = &app;
        let token = p.token.clone();
        let master = master.clone();
        async move {
            let r = app
                .get(
                    &format!(
                        "/api/managing-entity/{property}/ari/history/calendar?masterRateIdentifier={master}&startDate={}&endDate={}&asOf={}",
                        start_date(),
                        start_date() + chrono::Days::new(364),
                        at.replace('+', "%2B")
                    ),
                    &token,
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.json);
            r.json["nights"].as_array().unwrap().clone()
        }
    };
    let then = calendar(before_second.to_rfc3339()).await;
    assert_eq!(then.len(), 365);
    assert!(
        then.iter()
            .all(|n| n["rate"] == json!(1000.0) && n["numberOfUnits"] == json!(5)),
        "{}",
        then[0]
    );
    let now = calendar(app.state.now().to_rfc3339()).await;
    assert!(now.iter().all(|n| n["rate"] == json!(1200.0)));
    let before_all = calendar((before_second - chrono::Duration::days(1)).to_rfc3339()).await;
    assert!(
        before_all
            .iter()
            .all(|n| n.get("rate").is_none() && n["numberOfUnits"] == json!(0)),
        "{}",
        before_all[0]
    );

    // Events: first write rates + availability, second write rates only; each with every
    // changed cell and only what changed.
    let events = app.store.events_after(property, 0, 100).await.unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(
        kinds,
        ["rates.changed", "availability.changed", "rates.changed"]
    );
    let cells = |i: usize| events[i].payload.0["cells"].as_array().unwrap().clone();
    assert_eq!(cells(0).len(), 365);
    assert_eq!(
        cells(2)[0],
        json!({ "masterRateIdentifier": master, "roomTypeIdentifier": room, "date": start_date(),
                "changes": { "rate": { "old": 1000, "new": 1200 } } })
    );
    assert!(
        cells(2)
            .iter()
            .all(|c| c["changes"].as_object().unwrap().len() == 1)
    );
    assert_eq!(
        cells(1)[0],
        json!({ "roomTypeIdentifier": room, "date": start_date(),
                "changes": { "numberOfUnits": { "old": 0, "new": 5 } } })
    );

    // A write that changes nothing records nothing and reports nothing.
    let r = app.put(&bulk, &p.token, &year(1200, 5)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(history(&app, &p.token, property, "").await.len(), 730 + 365);
    assert_eq!(
        app.store
            .events_after(property, 0, 100)
            .await
            .unwrap()
            .len(),
        3
    );
}

/// Bad parameters are refused naming them; another property's master rate is not named.
async fn history_parameters_are_checked(app: TestApp) {
    let (p, property, _, _) = setup(&app).await;
    let root = format!("/api/managing-entity/{property}/ari/history");
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
        ("after=x", "after"),
        ("startDate=2030-13-01", "startDate"),
        ("startDate=2030-02-01&endDate=2030-01-01", "endDate"),
        ("masterRateIdentifier=not-a-uuid", "masterRateIdentifier"),
    ] {
        let r = app.get(&format!("{root}?{query}"), &p.token).await;
        assert_eq!(r.invalid_fields(), [field], "{query}: {}", r.json);
    }
    let r = app
        .get(
            &format!("{root}?masterRateIdentifier={}", Uuid::new_v4()),
            &p.token,
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = app
        .get(&format!("{root}/calendar?asOf=yesterday"), &p.token)
        .await;
    assert_eq!(r.invalid_fields(), ["asOf"]);
}

on_both_engines!(
    a_year_of_rates_is_recorded_and_answered_as_of,
    history_parameters_are_checked
);
