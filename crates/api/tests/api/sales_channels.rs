//! Tag "Sales Channel", and the test-availability channel list built from it.

use axum::http::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;
use wink_api::auth::clients;

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

async fn sales_channel_lifecycle(app: TestApp) {
    let p = app.persona(&[]).await;
    let property = app.property(&p).await;
    let root = base(property);
    let agent = owner(&app, "Globetrotter Travel", "TRAVEL_AGENT").await;
    let corporate = owner(&app, "Acme Corp", "CORPORATE").await;

    let r = app
        .post(
            &format!("{root}/sales/account"),
            &p.token,
            &channel_request(property, agent),
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
            "supplierAvailable": true, "subType": "TRAVEL_AGENT",
            "ownerIdentifier": agent, "ownerName": "Globetrotter Travel",
            "enabled": true, "channelDisabled": false, "blacklisted": false
        })
    );
    let first = r.json.clone();

    let shown = app
        .get(&format!("{root}/sales/account/{id}"), &p.token)
        .await;
    assert_eq!((shown.status, &shown.json), (StatusCode::OK, &first));

    let r = app
        .post(
            &format!("{root}/sales/account"),
            &p.token,
            &channel_request(property, corporate),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.json["subType"], "CORPORATE");
    let second = r.json.clone();

    let list = app
        .get(&format!("{root}/sales/account/list"), &p.token)
        .await;
    assert_eq!(
        (list.status, &list.json),
        (StatusCode::OK, &json!([first, second]))
    );

    // The test-availability channel list: one per channel, named after its owner.
    let channels = app
        .get(&format!("{root}/sandbox/channel/list"), &p.token)
        .await;
    assert_eq!(channels.status, StatusCode::OK, "{}", channels.json);
    assert_eq!(
        channels.json,
        json!([
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
        .post(&create, &p.token, &channel_request(other_property, agent))
        .await;
    assert_eq!(r.invalid_fields(), ["/supplierIdentifier"]);
    let r = app
        .post(
            &create,
            &p.token,
            &channel_request(property, Uuid::new_v4()),
        )
        .await;
    assert_eq!(r.invalid_fields(), ["/ownerIdentifier"]);
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
    let r = app
        .post(&create, &p.token, &channel_request(property, agent))
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let id = r.json["id"].as_str().unwrap().to_string();
    let r = app
        .post(&create, &p.token, &channel_request(property, agent))
        .await;
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
            &channel_request(other_property, agent),
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
    app.post(&create, &stranger.token, &channel_request(property, agent))
        .await
        .problem(StatusCode::NOT_FOUND);
}

on_both_engines!(sales_channel_lifecycle, sales_channel_refusals);
