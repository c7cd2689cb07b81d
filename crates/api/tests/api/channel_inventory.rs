//! Tag "Inventory": channel-inventory records (one per sales channel × item), their toggles, and
//! what a toggled-off master rate means for test availability and test bookings.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::bookings::{Shop, day};
use crate::cancellation_policies::{create, if_match};
use crate::fixtures;
use crate::on_both_engines;
use crate::sales_channels::{accepted_channel, owner};
use crate::support::{TestApp, TestResponse, base};

/// The Shop's query for the channel of `owner` instead of the travel agent's.
fn query_on(s: &Shop, owner: Uuid, name: &str) -> Value {
    let mut query = s.query(day(5), day(7), 2);
    query["channel"]["ownerIdentifier"] = json!(owner.to_string());
    query["channel"]["name"] = json!(name);
    query
}

async fn records(app: &TestApp, s: &Shop) -> Vec<Value> {
    let r = app
        .get(&format!("{}/sales/inventory/list", s.root()), &s.p.token)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    r.json.as_array().unwrap().clone()
}

/// The record of `inventory` on `channel` in `list`.
fn record<'a>(list: &'a [Value], channel: &str, inventory: &str) -> &'a Value {
    list.iter()
        .find(|r| {
            r["salesChannel"]["identifier"] == channel && r["inventoryIdentifier"] == inventory
        })
        .unwrap_or_else(|| panic!("no record of {inventory} on {channel} in {list:?}"))
}

async fn toggle(app: &TestApp, s: &Shop, id: &str, enabled: bool) -> TestResponse {
    app.patch(
        &format!("{}/sales/inventory/{id}", s.root()),
        &s.p.token,
        &json!({ "identifier": id, "enabled": enabled }),
    )
    .await
}

async fn grid(app: &TestApp, s: &Shop, state: Value) -> TestResponse {
    app.post(
        &format!("{}/sales/inventory/grid", s.root()),
        &s.p.token,
        &state,
    )
    .await
}

/// A master rate toggled off for one channel is neither offered nor bookable there, and still is
/// on the other channel; lists, the grid and the by-item list show the toggled state.
async fn toggled_master_rate_is_withheld_from_one_channel_only(app: TestApp) {
    let s = Shop::new(&app, 3).await;
    let corporate = owner(&app, "Acme Corp", "CORPORATE").await;
    let corporate_channel = accepted_channel(&app, s.property, corporate).await;
    let on_agent = s.query(day(5), day(7), 2);
    let on_corporate = query_on(&s, corporate, "Acme Corp");

    // One record per channel × master rate, enabled, at version 1, with a stable identifier.
    let list = records(&app, &s).await;
    assert_eq!(list.len(), 2, "{list:?}");
    let agent_record = record(&list, &s.channel, &s.master).clone();
    let corporate_record = record(&list, &corporate_channel, &s.master).clone();
    assert_ne!(agent_record["id"], corporate_record["id"]);
    assert_eq!(
        records(&app, &s).await,
        list,
        "the same records on every read"
    );
    assert_eq!(
        (
            &agent_record["inventoryType"],
            &agent_record["inventoryName"],
            &agent_record["enabled"],
            &agent_record["bookable"],
            &agent_record["version"],
            &agent_record["quantity"]
        ),
        (
            &json!("GUEST_ROOM"),
            &json!("Deluxe - Flexible"),
            &json!(true),
            &json!(true),
            &json!(1),
            &json!(5)
        )
    );
    // The lowest stored rate from today on, in the property's currency.
    assert_eq!(
        agent_record["lowestPrice"],
        json!({ "amount": 2000.0, "currency": "THB" })
    );
    assert_eq!(
        agent_record["salesChannel"]["ownerName"],
        "Globetrotter Travel"
    );
    // Placed by the property: the fixture names no country, its time zone (Bangkok) does.
    assert_eq!(
        (
            &agent_record["continent"],
            &agent_record["countryCode"],
            &agent_record["countryGeoNameId"],
            &agent_record["cityGeoNameId"]
        ),
        (
            &json!("AS"),
            &json!("TH"),
            &json!("1605651"),
            &json!("1609350")
        )
    );
    let agent_id = agent_record["id"].as_str().unwrap().to_string();

    // Offered and bookable on both channels before the toggle.
    let offer = s.offer(&app, &on_agent).await;
    assert_eq!(offer["roomRateIdentifier"], s.master.as_str());
    let corporate_offer = s.offer(&app, &on_corporate).await;
    assert_eq!(corporate_offer["roomRateIdentifier"], s.master.as_str());

    // Off for the travel agent's channel.
    let r = toggle(&app, &s, &agent_id, false).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.headers["etag"], "\"2\"");
    assert_eq!(
        (
            &r.json["id"],
            &r.json["enabled"],
            &r.json["bookable"],
            &r.json["version"]
        ),
        (&json!(agent_id), &json!(false), &json!(false), &json!(2))
    );

    // Not offered there, with the reason and its code...
    let listed = s.room_list(&app, &on_agent).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.json);
    let room = &listed.json[0];
    assert_eq!(room["accessibleAvailability"][0]["available"], false);
    assert!(
        room["accessibleAvailability"][0]
            .get("priceConfigurations")
            .is_none()
    );
    let withheld = &room["inaccessibleMasterRates"][0];
    assert_eq!(withheld["identifier"], s.master.as_str());
    assert_eq!(withheld["map"]["codes"], "CHANNEL_INVENTORY_DISABLED");
    // ...and not bookable there, even with the offer quoted before.
    let refused = s
        .book(
            &app,
            &s.booking_request(&on_agent, &offer, ("Ann", "Lee", "ann@example.com")),
        )
        .await;
    let problem = refused.problem(StatusCode::CONFLICT);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("sales channel"),
        "{problem}"
    );
    assert_eq!(s.units(&app, day(5), day(6)).await, [3, 3], "no room taken");

    // Still offered and bookable on the corporate channel.
    let again = s.offer(&app, &on_corporate).await;
    assert_eq!(
        (&again["roomRateIdentifier"], &again["sourceTotal"]),
        (
            &corporate_offer["roomRateIdentifier"],
            &corporate_offer["sourceTotal"]
        )
    );
    let booked = s
        .book(
            &app,
            &s.booking_request(
                &on_corporate,
                &corporate_offer,
                ("Bo", "Li", "bo@example.com"),
            ),
        )
        .await;
    assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.json);

    // The toggled state everywhere records are shown.
    let list = records(&app, &s).await;
    assert_eq!(record(&list, &s.channel, &s.master)["enabled"], false);
    assert_eq!(
        record(&list, &corporate_channel, &s.master)["enabled"],
        true
    );
    let shown = app
        .get(
            &format!("{}/sales/inventory/{agent_id}", s.root()),
            &s.p.token,
        )
        .await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.json);
    assert_eq!(shown.json, *record(&list, &s.channel, &s.master));
    let page = grid(
        &app,
        &s,
        json!({ "filter": { "logic": "and", "filters": [{ "field": "enabled", "operator": "eq", "value": false }] } }),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.json);
    assert_eq!(page.json["totalElements"], 1);
    assert_eq!(page.json["content"][0]["id"], agent_id.as_str());
    let by_item = app
        .get(
            &format!("{}/sales/inventory/{}/list", s.root(), s.master),
            &s.p.token,
        )
        .await;
    assert_eq!(by_item.status, StatusCode::OK, "{}", by_item.json);
    assert_eq!(
        by_item.json,
        json!([
            { "value": corporate_record["id"], "label": "Acme Corp", "selected": true },
            { "value": agent_id, "label": "Globetrotter Travel", "selected": false }
        ])
    );

    // On again: offered again, and the record is at version 3.
    let r = toggle(&app, &s, &agent_id, true).await;
    assert_eq!((r.status, &r.json["version"]), (StatusCode::OK, &json!(3)));
    assert_eq!(
        s.offer(&app, &on_agent).await["roomRateIdentifier"],
        s.master.as_str()
    );
}

/// Records appear with channels and items, go with them, and the grid pages and refuses what it
/// cannot apply; bad toggles change nothing.
async fn records_follow_channels_and_items(app: TestApp) {
    let s = Shop::new(&app, 3).await;
    let root = s.root();
    let token = s.p.token.clone();
    let spa = create(
        &app,
        &format!("{root}/facility/spa"),
        &token,
        &fixtures::inventory("spa", "Lotus Spa"),
    )
    .await;
    let add_on = create(
        &app,
        &format!("{root}/add-on"),
        &token,
        &fixtures::inventory("add-on", "Airport transfer"),
    )
    .await;

    // The kinds' pair lists.
    let pairs = app
        .get(&format!("{root}/sales/facility/spa/list"), &token)
        .await;
    assert_eq!(pairs.json, json!([{ "value": spa, "label": "Lotus Spa" }]));
    let pairs = app
        .get(&format!("{root}/sales/master-rate/list"), &token)
        .await;
    assert_eq!(
        pairs.json,
        json!([{ "value": s.master, "label": "Deluxe - Flexible" }])
    );
    let pairs = app
        .get(&format!("{root}/sales/experience/place/list"), &token)
        .await;
    assert_eq!((pairs.status, pairs.json), (StatusCode::OK, json!([])));

    // One channel × three items, the master rate first.
    let list = records(&app, &s).await;
    let kinds: Vec<&Value> = list.iter().map(|r| &r["inventoryType"]).collect();
    assert_eq!(
        kinds,
        [&json!("GUEST_ROOM"), &json!("ADD_ON"), &json!("SPA")]
    );
    let types = app
        .get(&format!("{root}/sales/inventory/type/list"), &token)
        .await;
    assert_eq!(types.json, json!(["GUEST_ROOM", "ADD_ON", "SPA"]));
    let names = app
        .get(&format!("{root}/sales/inventory/name/list"), &token)
        .await;
    assert_eq!(
        names.json,
        json!(["Airport transfer", "Deluxe - Flexible", "Lotus Spa"])
    );
    let spa_record = record(&list, &s.channel, &spa).clone();
    assert_eq!(
        (&spa_record["bookable"], &spa_record["quantity"]),
        (&json!(false), &json!(0))
    );

    // A new channel has its records at once.
    let corporate = owner(&app, "Acme Corp", "CORPORATE").await;
    let corporate_channel = accepted_channel(&app, s.property, corporate).await;
    let list = records(&app, &s).await;
    assert_eq!(list.len(), 6);
    let corporate_add_on = record(&list, &corporate_channel, &add_on)["id"]
        .as_str()
        .unwrap()
        .to_string();

    // The grid: a page in the page envelope, sorted and filtered by wire names.
    let page = grid(
        &app,
        &s,
        json!({ "take": 2, "skip": 2, "sort": [{ "field": "inventoryName", "dir": "desc" }] }),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.json);
    assert_eq!(
        (
            &page.json["totalElements"],
            &page.json["totalPages"],
            &page.json["number"],
            &page.json["size"],
            &page.json["numberOfElements"]
        ),
        (&json!(6), &json!(3), &json!(1), &json!(2), &json!(2))
    );
    assert_eq!(
        page.json["content"][0]["inventoryName"],
        "Deluxe - Flexible"
    );
    let page = grid(
        &app,
        &s,
        json!({ "filter": { "filters": [
        { "field": "salesChannel.ownerName", "operator": "eq", "value": "Acme Corp" },
        { "field": "inventoryType", "operator": "eq", "value": "ADD_ON" }] } }),
    )
    .await;
    assert_eq!(page.json["totalElements"], 1, "{}", page.json);
    assert_eq!(page.json["content"][0]["id"], corporate_add_on.as_str());
    let bad = grid(
        &app,
        &s,
        json!({ "filter": { "filters": [
        { "field": "nope", "operator": "eq", "value": 1 },
        { "field": "enabled", "operator": "eq", "value": "yes" }] } }),
    )
    .await;
    assert_eq!(
        bad.invalid_fields(),
        ["/filter/filters/0/field", "/filter/filters/1/value"]
    );

    // Bad toggles: an unknown record in a list, a body naming another record, a stale ETag.
    let before = records(&app, &s).await;
    let r = app
        .patch(
            &format!("{root}/sales/inventory/list"),
            &token,
            &json!([{ "identifier": corporate_add_on, "enabled": false },
                    { "identifier": Uuid::new_v4(), "enabled": false }]),
        )
        .await;
    assert_eq!(r.invalid_fields(), ["/1/identifier"]);
    let r = app
        .patch(&format!("{root}/sales/inventory/list"), &token, &json!([]))
        .await;
    assert_eq!(r.invalid_fields(), [""]);
    let spa_id = spa_record["id"].as_str().unwrap();
    let r = app
        .patch(
            &format!("{root}/sales/inventory/{spa_id}"),
            &token,
            &json!({ "identifier": corporate_add_on, "enabled": false }),
        )
        .await;
    assert_eq!(r.invalid_fields(), ["/identifier"]);
    let r = if_match(
        &app,
        Method::PATCH,
        &format!("{root}/sales/inventory/{spa_id}"),
        &token,
        7,
        &json!({ "identifier": spa_id, "enabled": false }),
    )
    .await;
    r.problem(StatusCode::PRECONDITION_FAILED);
    assert_eq!(records(&app, &s).await, before, "nothing changed");

    // A list of toggles, answered in order.
    let r = app
        .patch(
            &format!("{root}/sales/inventory/list"),
            &token,
            &json!([{ "identifier": corporate_add_on, "enabled": false },
                    { "identifier": spa_id, "enabled": false }]),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let states: Vec<(&Value, &Value)> = r
        .json
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (&x["id"], &x["enabled"]))
        .collect();
    assert_eq!(
        states,
        [
            (&json!(corporate_add_on), &json!(false)),
            (&json!(spa_id), &json!(false))
        ]
    );

    // Deleting an item (toggled or not) or a channel's room type removes their records.
    let r = app.delete(&format!("{root}/add-on/{add_on}"), &token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let r = app
        .delete(&format!("{root}/facility/room-type/{}", s.room), &token)
        .await;
    assert!(r.status.is_success(), "{} {}", r.status, r.json);
    let list = records(&app, &s).await;
    let left: Vec<(&Value, &Value)> = list
        .iter()
        .map(|r| (&r["inventoryIdentifier"], &r["enabled"]))
        .collect();
    assert_eq!(
        left,
        [(&json!(spa), &json!(false)), (&json!(spa), &json!(true))]
    );
    app.get(
        &format!("{root}/sales/inventory/{corporate_add_on}"),
        &token,
    )
    .await
    .problem(StatusCode::NOT_FOUND);
    app.get(&format!("{root}/sales/inventory/{}/list", s.master), &token)
        .await
        .problem(StatusCode::NOT_FOUND);
}

/// 20 concurrent toggles of one record: all answered, applied one after the other, and the record
/// is left in the state of the last one applied.
async fn concurrent_toggles_leave_the_last_state(app: TestApp) {
    let s = Shop::new(&app, 3).await;
    let list = records(&app, &s).await;
    let id = record(&list, &s.channel, &s.master)["id"]
        .as_str()
        .unwrap()
        .to_string();
    let app = std::sync::Arc::new(app);
    let s = std::sync::Arc::new(s);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..20 {
        let (app, s, id) = (app.clone(), s.clone(), id.clone());
        tasks.spawn(async move { toggle(&app, &s, &id, i % 2 == 0).await });
    }
    let mut answers = Vec::new();
    while let Some(r) = tasks.join_next().await {
        let r = r.unwrap();
        assert_eq!(r.status, StatusCode::OK, "{}", r.json);
        answers.push((
            r.json["version"].as_i64().unwrap(),
            r.json["enabled"].as_bool().unwrap(),
        ));
    }
    answers.sort_unstable();
    let versions: Vec<i64> = answers.iter().map(|a| a.0).collect();
    assert_eq!(
        versions,
        (2..=21).collect::<Vec<_>>(),
        "each toggle applied once, in turn"
    );
    let last = answers.last().unwrap();
    let shown = app
        .get(&format!("{}/sales/inventory/{id}", s.root()), &s.p.token)
        .await;
    assert_eq!(
        (
            shown.json["version"].as_i64(),
            shown.json["enabled"].as_bool()
        ),
        (Some(last.0), Some(last.1))
    );
}

/// Another account's records and items are 404, on its property and on the caller's own.
async fn a_strangers_ids_are_not_found(app: TestApp) {
    let s = Shop::new(&app, 3).await;
    let list = records(&app, &s).await;
    let id = list[0]["id"].as_str().unwrap().to_string();
    let stranger = app.persona(&[]).await;
    let own = base(app.property(&stranger).await);
    let owners = s.root();
    for root in [&own, &owners] {
        app.get(&format!("{root}/sales/inventory/{id}"), &stranger.token)
            .await
            .problem(StatusCode::NOT_FOUND);
        app.patch(
            &format!("{root}/sales/inventory/{id}"),
            &stranger.token,
            &json!({ "identifier": id, "enabled": false }),
        )
        .await
        .problem(StatusCode::NOT_FOUND);
        app.get(
            &format!("{root}/sales/inventory/{}/list", s.master),
            &stranger.token,
        )
        .await
        .problem(StatusCode::NOT_FOUND);
    }
    // On its own property the owner's record is no record of it: the list toggle names it.
    let r = app
        .patch(
            &format!("{own}/sales/inventory/list"),
            &stranger.token,
            &json!([{ "identifier": id, "enabled": false }]),
        )
        .await;
    assert_eq!(r.invalid_fields(), ["/0/identifier"]);
    let mine = app
        .get(&format!("{own}/sales/inventory/list"), &stranger.token)
        .await;
    assert_eq!((mine.status, mine.json), (StatusCode::OK, json!([])));
    assert_eq!(
        records(&app, &s).await,
        list,
        "the owner's records unchanged"
    );
}

on_both_engines!(
    toggled_master_rate_is_withheld_from_one_channel_only,
    records_follow_channels_and_items,
    concurrent_toggles_leave_the_last_state,
    a_strangers_ids_are_not_found
);
