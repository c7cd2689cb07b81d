//! Tag "Sales Channel", and the test-availability channel list built from it.

use axum::http::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;
use wink_api::auth::clients;
use wink_store::sales_channels::SalesChannel;

use crate::on_both_engines;
use crate::support::{TestApp, base};

/// A new account of `entity_type`: a sales channel's owner.
pub async fn owner(app: &TestApp, name: &str, entity_type: &str) -> Uuid {
    clients::create_account(&app.store, name, entity_type, None)
        .await
        .expect("owner account")
        .id
}

pub fn channel_request(property: Uuid, owner: Uuid) -> Value {
    json!({ "ownerIdentifier": owner, "supplierIdentifier": property })
}

/// A channel of `property` to another account, stored as accepting that account's request for
/// one would (the API creates only direct channels, to the caller's own account); its id.
pub async fn accepted_channel(app: &TestApp, property: Uuid, owner: Uuid) -> String {
    let now = app.state.now();
    let channel = SalesChannel {
        id: Uuid::new_v4(),
        property_id: property,
        owner_account_id: owner,
        enabled: true,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    app.store
        .create_sales_channel(&channel)
        .await
        .expect("channel")
        .to_string()
}

async fn sales_channel_lifecycle(app: TestApp) {
    let p = app.persona(&[]).await;
    let property = app.property(&p).await;
    let root = base(property);
    let agent = owner(&app, "Globetrotter Travel", "TRAVEL_AGENT").await;
    let corporate = owner(&app, "Acme Corp", "CORPORATE").await;

    // The direct channel, to the caller's own account.
    let r = app
        .post(
            &format!("{root}/sales/account"),
            &p.token,
            &channel_request(property, p.account_id),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let id = r.json["id"].as_str().unwrap().to_string();
    let created = r.json["createdDate"].clone();
    assert_eq!(r.headers["etag"], "\"1\"");
    assert_eq!(
        r.json,
        json!({
            "id": id, "createdDate": created, "lastUpdate": created, "version": 1,
            "supplierIdentifier": property, "supplierName": "Test Hotel Bangkok",
            "supplierAvailable": true, "subType": "HOTEL",
            "ownerIdentifier": p.account_id, "ownerName": "Test Hotels",
            "enabled": true, "channelDisabled": false, "blacklisted": false,
            "percentDiscount": 0.0, "commission": 0.0
        })
    );
    let direct = r.json.clone();

    let shown = app
        .get(&format!("{root}/sales/account/{id}"), &p.token)
        .await;
    assert_eq!((shown.status, &shown.json), (StatusCode::OK, &direct));

    // Channels to other accounts (accepted requests) are shown the same way.
    let agent_channel = accepted_channel(&app, property, agent).await;
    accepted_channel(&app, property, corporate).await;
    let shown = app
        .get(&format!("{root}/sales/account/{agent_channel}"), &p.token)
        .await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.json);
    assert_eq!(
        (&shown.json["subType"], &shown.json["ownerName"]),
        (&json!("TRAVEL_AGENT"), &json!("Globetrotter Travel"))
    );

    let list = app
        .get(&format!("{root}/sales/account/list"), &p.token)
        .await;
    assert_eq!(list.status, StatusCode::OK);
    let owners: Vec<&Value> = list
        .json
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["ownerName"])
        .collect();
    assert_eq!(
        owners,
        [
            &json!("Test Hotels"),
            &json!("Globetrotter Travel"),
            &json!("Acme Corp")
        ]
    );
    assert_eq!(list.json[0], direct);

    // The test-availability channel list: one per channel, named after its owner.
    let channels = app
        .get(&format!("{root}/sandbox/channel/list"), &p.token)
        .await;
    assert_eq!(channels.status, StatusCode::OK, "{}", channels.json);
    assert_eq!(
        channels.json,
        json!([
            { "propertyIdentifier": property.to_string(), "subType": "HOTEL",
              "ownerIdentifier": p.account_id.to_string(), "name": "Test Hotels" },
            { "propertyIdentifier": property.to_string(), "subType": "TRAVEL_AGENT",
              "ownerIdentifier": agent.to_string(), "name": "Globetrotter Travel" },
            { "propertyIdentifier": property.to_string(), "subType": "CORPORATE",
              "ownerIdentifier": corporate.to_string(), "name": "Acme Corp" }
        ])
    );
}

async fn sales_channel_refusals(app: TestApp) {
    let p = app.persona(&[]).await;
    let property = app.property(&p).await;
    let other_property = app.property(&p).await;
    let root = base(property);
    let agent = owner(&app, "Globetrotter Travel", "TRAVEL_AGENT").await;
    let create = format!("{root}/sales/account");
    let list = format!("{root}/sales/account/list");

    // Another property as supplier, an unknown owner, a missing field: 400 naming it.
    let r = app
        .post(
            &create,
            &p.token,
            &channel_request(other_property, p.account_id),
        )
        .await;
    assert_eq!(r.invalid_fields(), ["/supplierIdentifier"]);
    let unknown = app
        .post(
            &create,
            &p.token,
            &channel_request(property, Uuid::new_v4()),
        )
        .await;
    assert_eq!(unknown.invalid_fields(), ["/ownerIdentifier"]);
    // Another account that exists answers exactly like one that does not: neither its name nor
    // its type is revealed.
    let r = app
        .post(&create, &p.token, &channel_request(property, agent))
        .await;
    assert_eq!(r.status, unknown.status);
    assert_eq!(r.json["detail"], unknown.json["detail"]);
    assert_eq!(r.json["errors"], unknown.json["errors"]);
    let body = String::from_utf8_lossy(&r.bytes);
    assert!(
        !body.contains("Globetrotter") && !body.contains("TRAVEL_AGENT"),
        "{body}"
    );
    let r = app
        .post(
            &create,
            &p.token,
            &json!({ "supplierIdentifier": property }),
        )
        .await;
    assert_eq!(r.invalid_fields(), ["/ownerIdentifier"]);
    let r = app
        .post(
            &create,
            &p.token,
            &json!({ "ownerIdentifier": "nope", "supplierIdentifier": property }),
        )
        .await;
    assert_eq!(r.invalid_fields(), ["/ownerIdentifier"]);
    assert_eq!(app.get(&list, &p.token).await.json, json!([]));

    // One channel per owner.
    let own = channel_request(property, p.account_id);
    let r = app.post(&create, &p.token, &own).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let id = r.json["id"].as_str().unwrap().to_string();
    let r = app.post(&create, &p.token, &own).await;
    let problem = r.problem(StatusCode::CONFLICT);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("already has a sales channel")
    );
    assert_eq!(
        app.get(&list, &p.token)
            .await
            .json
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // The same owner may sell another property.
    let r = app
        .post(
            &format!("{}/sales/account", base(other_property)),
            &p.token,
            &channel_request(other_property, p.account_id),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let other_id = r.json["id"].as_str().unwrap().to_string();

    // Another property's channel, a random id, not an id: 404.
    for missing in [other_id.as_str(), &Uuid::new_v4().to_string(), "not-an-id"] {
        app.get(&format!("{root}/sales/account/{missing}"), &p.token)
            .await
            .problem(StatusCode::NOT_FOUND);
    }
    // Another account sees neither the property nor its channels.
    let stranger = app.persona(&[]).await;
    app.get(&format!("{root}/sales/account/{id}"), &stranger.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    app.get(&list, &stranger.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    app.get(&format!("{root}/sandbox/channel/list"), &stranger.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    app.post(
        &create,
        &stranger.token,
        &channel_request(property, stranger.account_id),
    )
    .await
    .problem(StatusCode::NOT_FOUND);
}

on_both_engines!(sales_channel_lifecycle, sales_channel_refusals);
