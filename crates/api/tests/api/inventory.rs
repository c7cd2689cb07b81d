//! The other inventories: add-ons, spas, restaurants, meeting rooms, places, attractions and
//! activities (one generic implementation, so one table of kinds drives every test), their usage,
//! and what refers to them (promotions naming add-ons; an add-on naming a rate plan).

use axum::http::{Method, StatusCode, header};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::cancellation_policies::{create, if_match};
use crate::fixtures;
use crate::on_both_engines;
use crate::promotions::{Hotel, promotion_with};
use crate::support::{TestApp, base};

/// One inventory kind as the contract addresses it.
struct Kind {
    /// The collection's path under `/extranet`.
    path: &'static str,
    /// The usage path segment, also the fixture's kind.
    name: &'static str,
    /// The contract's InventoryType value.
    r#type: &'static str,
    /// Whether the kind has a `list/pair` operation (add-ons do not).
    pairs: bool,
}

const KINDS: [Kind; 7] = [
    Kind {
        path: "add-on",
        name: "add-on",
        r#type: "ADD_ON",
        pairs: false,
    },
    Kind {
        path: "facility/spa",
        name: "spa",
        r#type: "SPA",
        pairs: true,
    },
    Kind {
        path: "facility/restaurant",
        name: "restaurant",
        r#type: "RESTAURANT",
        pairs: true,
    },
    Kind {
        path: "facility/meeting-room",
        name: "meeting-room",
        r#type: "MEETING_ROOM",
        pairs: true,
    },
    Kind {
        path: "experience/place",
        name: "place",
        r#type: "PLACE",
        pairs: true,
    },
    Kind {
        path: "experience/attraction",
        name: "attraction",
        r#type: "ATTRACTION",
        pairs: true,
    },
    Kind {
        path: "experience/activity",
        name: "activity",
        r#type: "ACTIVITY",
        pairs: true,
    },
];

impl Kind {
    fn collection(&self, property: Uuid) -> String {
        format!("{}/{}", base(property), self.path)
    }

    fn usage(&self, property: Uuid, id: &str) -> String {
        format!("{}/inventory-usage/{}/{id}", base(property), self.name)
    }

    fn body(&self, name: &str) -> Value {
        fixtures::inventory(self.name, name)
    }
}

/// JSON equality with numbers compared by value (`60` and `60.0` are the same number).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// Asserts that `answer` is the item written with `request` (every field sent comes back as
/// sent), with its bookkeeping.
fn assert_item(kind: &Kind, answer: &Value, request: &Value, property: Uuid, version: i64) {
    for (key, sent) in request.as_object().unwrap() {
        if key == "ratePlanIdentifier" || key == "version" {
            continue;
        }
        let expected = if key == "name" {
            json!(sent.as_str().unwrap().trim())
        } else {
            sent.clone()
        };
        assert!(
            same(&answer[key], &expected),
            "{}: {key} answered {} for {expected}",
            kind.name,
            answer[key]
        );
    }
    assert!(Uuid::parse_str(answer["id"].as_str().unwrap()).is_ok());
    assert_eq!(
        answer["hotelIdentifier"],
        property.to_string(),
        "{}",
        kind.name
    );
    assert_eq!(answer["version"], version, "{}", kind.name);
    assert!(answer["createdDate"].is_string() && answer["lastUpdate"].is_string());
    if request.get("contact").is_none() {
        assert_eq!(answer["contact"], json!({}), "{}", kind.name);
    }
    if request.get("proximityCode").is_none() {
        assert_eq!(answer["proximityCode"], "", "{}", kind.name);
    }
}

async fn every_kind_lifecycle(app: TestApp) {
    let p = app.persona(&[]).await;
    let property = app.property(&p).await;
    let q = app.persona(&[]).await;
    let theirs = app.property(&q).await;
    let mut ids = Vec::new();
    for kind in &KINDS {
        let collection = kind.collection(property);
        let list = format!("{collection}/list");
        assert_eq!(
            app.get(&list, &p.token).await.json,
            json!([]),
            "{}",
            kind.name
        );

        let request = kind.body(" Lotus ");
        let r = app.post(&collection, &p.token, &request).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}: {}", kind.name, r.json);
        assert_eq!(r.headers[header::ETAG], "\"1\"");
        assert_item(kind, &r.json, &request, property, 1);
        assert_eq!(r.json["name"], "Lotus");
        assert_eq!(r.json["createdDate"], r.json["lastUpdate"]);
        let created = r.json.clone();
        let id = created["id"].as_str().unwrap().to_string();
        let one = format!("{collection}/{id}");

        let shown = app.get(&one, &p.token).await;
        assert_eq!((shown.status, &shown.json), (StatusCode::OK, &created));
        assert_eq!(shown.headers[header::ETAG], "\"1\"");
        assert_eq!(app.get(&list, &p.token).await.json, json!([created]));
        if kind.pairs {
            let pairs = app.get(&format!("{list}/pair"), &p.token).await;
            assert_eq!(
                (pairs.status, pairs.json),
                (StatusCode::OK, json!([{ "value": id, "label": "Lotus" }])),
                "{}",
                kind.name
            );
        }
        let usage = app.get(&kind.usage(property, &id), &p.token).await;
        assert_eq!(
            (usage.status, usage.json),
            (
                StatusCode::OK,
                json!({ "inventoryIdentifier": id, "name": "Lotus", "type": kind.r#type,
                        "itemList": [], "referenced": false })
            ),
            "{}",
            kind.name
        );

        // Update without a version: accepted, the version goes up, the creation date stays.
        let mut changed = kind.body("Lotus Garden");
        changed["featuredInd"] = json!(true);
        changed["proximityCode"] = json!("NEARBY");
        let r = app.put(&one, &p.token, &changed).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", kind.name, r.json);
        assert_item(kind, &r.json, &changed, property, 2);
        assert_eq!(r.json["createdDate"], created["createdDate"]);
        assert_eq!(r.headers[header::ETAG], "\"2\"");

        // A stale version in the body is a 409, in If-Match a 412; neither changes anything.
        let mut stale = kind.body("Lost update");
        stale["version"] = json!(1);
        app.put(&one, &p.token, &stale)
            .await
            .problem(StatusCode::CONFLICT);
        if_match(&app, Method::PUT, &one, &p.token, 1, &kind.body("Lost too"))
            .await
            .problem(StatusCode::PRECONDITION_FAILED);
        let kept = app.get(&one, &p.token).await.json;
        assert_eq!(
            (kept["name"].as_str(), kept["version"].as_i64()),
            (Some("Lotus Garden"), Some(2)),
            "{}",
            kind.name
        );
        let r = if_match(&app, Method::PUT, &one, &p.token, 2, &kind.body("Lotus")).await;
        assert_eq!(
            (r.status, r.json["version"].as_i64()),
            (StatusCode::OK, Some(3)),
            "{}",
            kind.name
        );

        // Another account, another property, another kind: 404, and nothing changes.
        let elsewhere = format!("{}/{id}", kind.collection(theirs));
        for (path, token) in [(&one, &q.token), (&elsewhere, &q.token)] {
            app.get(path, token).await.problem(StatusCode::NOT_FOUND);
            app.put(path, token, &kind.body("Stolen"))
                .await
                .problem(StatusCode::NOT_FOUND);
            app.delete(path, token).await.problem(StatusCode::NOT_FOUND);
        }
        app.get(&kind.usage(theirs, &id), &q.token)
            .await
            .problem(StatusCode::NOT_FOUND);
        let other = KINDS.iter().find(|k| k.name != kind.name).unwrap();
        app.get(&format!("{}/{id}", other.collection(property)), &p.token)
            .await
            .problem(StatusCode::NOT_FOUND);
        app.get(&other.usage(property, &id), &p.token)
            .await
            .problem(StatusCode::NOT_FOUND);
        app.get(&format!("{collection}/not-a-uuid"), &p.token)
            .await
            .problem(StatusCode::NOT_FOUND);
        assert_eq!(app.get(&one, &p.token).await.json["version"], 3);
        ids.push((one, id));
    }

    // Each kind lists only its own items.
    for kind in &KINDS {
        let list = app
            .get(&format!("{}/list", kind.collection(property)), &p.token)
            .await
            .json;
        assert_eq!(list.as_array().unwrap().len(), 1, "{}", kind.name);
    }

    for (kind, (one, id)) in KINDS.iter().zip(&ids) {
        let r = app.delete(one, &p.token).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", kind.name, r.json);
        if kind.name == "add-on" {
            assert_eq!(r.json["id"], id.as_str());
            assert_eq!(r.json["success"], true);
            assert!(r.json["message"].as_str().unwrap().contains("Lotus"));
        } else {
            assert_eq!(
                (r.json["id"].as_str(), r.json["name"].as_str()),
                (Some(id.as_str()), Some("Lotus")),
                "{}",
                kind.name
            );
        }
        app.get(one, &p.token).await.problem(StatusCode::NOT_FOUND);
        app.delete(one, &p.token)
            .await
            .problem(StatusCode::NOT_FOUND);
        app.get(&kind.usage(property, id), &p.token)
            .await
            .problem(StatusCode::NOT_FOUND);
        let list = format!("{}/list", kind.collection(property));
        assert_eq!(app.get(&list, &p.token).await.json, json!([]));
        if kind.pairs {
            assert_eq!(
                app.get(&format!("{list}/pair"), &p.token).await.json,
                json!([])
            );
        }
    }
}

/// `kind`'s fixture with the fields at these JSON pointers set.
fn with(kind: &Kind, changes: &[(String, Value)]) -> Value {
    let mut body = kind.body("Lotus");
    for (pointer, value) in changes {
        match body.pointer_mut(pointer) {
            Some(field) => *field = value.clone(),
            None => body[&pointer[1..]] = value.clone(),
        }
    }
    body
}

/// One refused change: the fields set, and the field the refusal names.
fn case(changes: &[(&str, Value)], field: &str) -> (Vec<(String, Value)>, String) {
    (
        changes
            .iter()
            .map(|(p, v)| (p.to_string(), v.clone()))
            .collect(),
        field.to_string(),
    )
}

async fn every_kind_validation(app: TestApp) {
    let h = Hotel::new(&app).await;
    let sibling = Hotel::of(&app, h.p.clone(), app.property(&h.p).await).await;
    let offer = "/transactionalInventoryList/0";
    for kind in &KINDS {
        let at = |field: &str| format!("{offer}/{field}");
        let mut cases = vec![
            case(&[("/name", json!("   "))], "/name"),
            case(&[("/multimedias", json!([]))], "/multimedias"),
            case(&[("/pricePoint", json!("SIX"))], "/pricePoint"),
            case(&[("/applicableEnd", json!("2025-12-31"))], "/applicableEnd"),
            case(
                &[(&at("basePrice/currency"), json!("EUR"))],
                &at("basePrice/currency"),
            ),
            case(
                &[(&at("discountedPrice/currency"), json!("USD"))],
                &at("discountedPrice/currency"),
            ),
            case(
                &[(&at("basePrice/amount"), json!(-5))],
                &at("basePrice/amount"),
            ),
            case(
                &[(&at("discountedPrice/amount"), json!(1600))],
                &at("discountedPrice/amount"),
            ),
            case(&[(&at("minPax"), json!(5))], &at("maxPax")),
        ];
        let march = json!([{ "startDate": "2026-03-01", "endDate": "2026-04-01" }]);
        cases.extend(match kind.name {
            "add-on" => vec![
                case(&[("/numberOfUnits", json!(-1))], "/numberOfUnits"),
                case(
                    &[(
                        "/dateRanges",
                        json!([{ "startDate": "2026-03-01", "endDate": "2026-02-01" }]),
                    )],
                    "/dateRanges/0/endDate",
                ),
                case(
                    &[("/ratePlanIdentifier", json!(Uuid::new_v4()))],
                    "/ratePlanIdentifier",
                ),
                case(
                    &[("/ratePlanIdentifier", json!(sibling.plans[0]))],
                    "/ratePlanIdentifier",
                ),
                case(
                    &[
                        ("/ratePlanIdentifier", json!(h.plans[0])),
                        ("/dateRanges", march),
                    ],
                    "/dateRanges",
                ),
            ],
            "restaurant" => vec![case(&[("/maxSingleParty", json!(81))], "/maxSingleParty")],
            "meeting-room" => vec![case(
                &[("/meetingRoomCapacity", json!(0))],
                "/meetingRoomCapacity",
            )],
            "place" => vec![case(
                &[("/refPointCategoryCode", json!(""))],
                "/refPointCategoryCode",
            )],
            "attraction" => vec![case(
                &[("/attractionCategoryCode", json!(""))],
                "/attractionCategoryCode",
            )],
            "activity" => vec![case(
                &[("/recreationCategoryCode", json!(""))],
                "/recreationCategoryCode",
            )],
            _ => vec![case(&[("/amenities", json!("SAUNA"))], "/amenities")],
        });

        let collection = kind.collection(h.property);
        let list = format!("{collection}/list");
        for (changes, field) in &cases {
            let r = app
                .post(&collection, &h.p.token, &with(kind, changes))
                .await;
            assert_eq!(
                r.invalid_fields(),
                [field.as_str()],
                "{}: {changes:?}",
                kind.name
            );
        }
        assert_eq!(
            app.get(&list, &h.p.token).await.json,
            json!([]),
            "{}",
            kind.name
        );

        // A refused replacement changes nothing either.
        let id = create(&app, &collection, &h.p.token, &kind.body("Lotus")).await;
        let one = format!("{collection}/{id}");
        let before = app.get(&one, &h.p.token).await.json;
        for (changes, field) in &cases {
            let r = app.put(&one, &h.p.token, &with(kind, changes)).await;
            assert_eq!(
                r.invalid_fields(),
                [field.as_str()],
                "{}: {changes:?}",
                kind.name
            );
        }
        assert_eq!(
            app.get(&one, &h.p.token).await.json,
            before,
            "{}",
            kind.name
        );
    }
}

async fn add_on_named_by_promotions(app: TestApp) {
    let h = Hotel::new(&app).await;
    let add_ons = format!("{}/add-on", h.root());
    let transfer = create(
        &app,
        &add_ons,
        &h.p.token,
        &fixtures::inventory("add-on", "Transfer"),
    )
    .await;
    let dinner = create(
        &app,
        &add_ons,
        &h.p.token,
        &fixtures::inventory("add-on", "Dinner"),
    )
    .await;
    let sibling = app.property(&h.p).await;
    let theirs = create(
        &app,
        &format!("{}/add-on", base(sibling)),
        &h.p.token,
        &fixtures::inventory("add-on", "Elsewhere"),
    )
    .await;
    let spa = create(
        &app,
        &format!("{}/facility/spa", h.root()),
        &h.p.token,
        &fixtures::inventory("spa", "Lotus"),
    )
    .await;
    let promotions = format!("{}/promotion", h.root());

    // Only the property's add-ons can be named.
    for (ids, field) in [
        (json!([transfer, theirs]), "/addOnIdentifiers/1"),
        (json!([spa]), "/addOnIdentifiers/0"),
        (json!([Uuid::new_v4()]), "/addOnIdentifiers/0"),
    ] {
        let r = app
            .post(
                &promotions,
                &h.p.token,
                &promotion_with("Broken", json!({ "addOnIdentifiers": ids })),
            )
            .await;
        assert_eq!(r.invalid_fields(), [field], "{ids}");
        assert!(
            r.json["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("is not an add-on of this property")
        );
    }
    assert_eq!(
        app.get(&format!("{promotions}/list"), &h.p.token)
            .await
            .json,
        json!([])
    );

    // Repeated identifiers count once.
    let r = app
        .post(
            &promotions,
            &h.p.token,
            &promotion_with(
                "Transfer deal",
                json!({ "addOnIdentifiers": [transfer, transfer, dinner] }),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.json["addOnIdentifiers"], json!([transfer, dinner]));
    let deal = r.json["id"].as_str().unwrap().to_string();
    let usage = |id: &str, name: &str, count: usize| {
        let items = if count == 0 {
            json!([])
        } else {
            json!([{ "usage": "RATE_MODIFIER", "count": count }])
        };
        json!({ "inventoryIdentifier": id, "name": name, "type": "ADD_ON",
                "itemList": items, "referenced": count > 0 })
    };
    let usage_of = |id: &str| format!("{}/inventory-usage/add-on/{id}", h.root());
    assert_eq!(
        app.get(&usage_of(&transfer), &h.p.token).await.json,
        usage(&transfer, "Transfer", 1)
    );
    let other = h
        .promotion(
            &app,
            &promotion_with("Dinner deal", json!({ "addOnIdentifiers": [dinner] })),
        )
        .await;
    assert_eq!(
        app.get(&usage_of(&dinner), &h.p.token).await.json,
        usage(&dinner, "Dinner", 2)
    );

    // A named add-on cannot be deleted; the refusal names the promotions.
    let one = |id: &str| format!("{add_ons}/{id}");
    let refused = app.delete(&one(&transfer), &h.p.token).await;
    let detail = refused.problem(StatusCode::CONFLICT)["detail"]
        .as_str()
        .unwrap();
    assert!(
        detail.contains("Transfer deal") && detail.contains(&deal),
        "{detail}"
    );
    assert_eq!(
        app.get(&one(&transfer), &h.p.token).await.status,
        StatusCode::OK
    );

    // Once no promotion names it, it can.
    let r = app
        .put(
            &format!("{promotions}/{deal}"),
            &h.p.token,
            &promotion_with("Transfer deal", json!({ "addOnIdentifiers": [dinner] })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(
        app.get(&usage_of(&transfer), &h.p.token).await.json,
        usage(&transfer, "Transfer", 0)
    );
    assert_eq!(
        app.delete(&one(&transfer), &h.p.token).await.status,
        StatusCode::OK
    );

    // Deleting a promotion releases its add-ons.
    let refused = app.delete(&one(&dinner), &h.p.token).await;
    let detail = refused.problem(StatusCode::CONFLICT)["detail"]
        .as_str()
        .unwrap();
    assert!(
        detail.contains("Transfer deal") && detail.contains("Dinner deal"),
        "{detail}"
    );
    for id in [&deal, &other] {
        assert_eq!(
            app.delete(&format!("{promotions}/{id}"), &h.p.token)
                .await
                .status,
            StatusCode::OK
        );
    }
    assert_eq!(
        app.get(&usage_of(&dinner), &h.p.token).await.json,
        usage(&dinner, "Dinner", 0)
    );
    assert_eq!(
        app.delete(&one(&dinner), &h.p.token).await.status,
        StatusCode::OK
    );
}

async fn add_on_for_a_rate_plan(app: TestApp) {
    let h = Hotel::new(&app).await;
    let add_ons = format!("{}/add-on", h.root());
    let mut body = fixtures::inventory("add-on", "Breakfast upgrade");
    body["ratePlanIdentifier"] = json!(h.plans[0]);
    let r = app.post(&add_ons, &h.p.token, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.json["ratePlan"]["identifier"], h.plans[0].as_str());
    assert_eq!(r.json["ratePlan"]["name"], "Flexible");
    assert_eq!(
        r.json["ratePlan"]["hotelIdentifier"],
        h.property.to_string()
    );
    assert!(r.json.get("ratePlanIdentifier").is_none());
    let id = r.json["id"].as_str().unwrap().to_string();
    let one = format!("{add_ons}/{id}");
    assert_eq!(app.get(&one, &h.p.token).await.json, r.json);
    assert_eq!(
        app.get(&format!("{add_ons}/list"), &h.p.token).await.json[0]["ratePlan"]["identifier"],
        h.plans[0].as_str()
    );

    // The rate plan cannot be deleted while an add-on is restricted to it.
    let plan = format!("{}/rate-plan/{}", h.root(), h.plans[0]);
    let refused = app.delete(&plan, &h.p.token).await;
    let detail = refused.problem(StatusCode::CONFLICT)["detail"]
        .as_str()
        .unwrap();
    assert!(
        detail.contains("Breakfast upgrade") && detail.contains(&id),
        "{detail}"
    );
    assert_eq!(app.get(&plan, &h.p.token).await.status, StatusCode::OK);

    // Restricted to dates instead, the add-on lets the rate plan go.
    let mut body = fixtures::inventory("add-on", "Breakfast upgrade");
    body["dateRanges"] = json!([{ "startDate": "2026-06-01", "endDate": "2026-08-31" }]);
    let r = app.put(&one, &h.p.token, &body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert!(r.json.get("ratePlan").is_none());
    assert_eq!(r.json["dateRanges"], body["dateRanges"]);
    assert_eq!(app.delete(&plan, &h.p.token).await.status, StatusCode::OK);
}

async fn nine_usage_operations(app: TestApp) {
    let h = Hotel::new(&app).await;
    let q = app.persona(&[]).await;
    let theirs = app.property(&q).await;
    let mut paths = vec![
        (
            format!("{}/inventory-usage/room-type/{}", h.root(), h.rooms[0]),
            json!({ "inventoryIdentifier": h.rooms[0], "name": "Deluxe", "type": "GUEST_ROOM",
                    "itemList": [], "referenced": false }),
        ),
        (
            format!("{}/inventory-usage/rate-plan/{}", h.root(), h.plans[0]),
            json!({ "inventoryIdentifier": h.plans[0], "name": "Flexible", "type": "GUEST_ROOM",
                    "itemList": [], "referenced": false }),
        ),
    ];
    let mut add_on = String::new();
    for kind in &KINDS {
        let name = format!("The {}", kind.name);
        let id = create(
            &app,
            &kind.collection(h.property),
            &h.p.token,
            &kind.body(&name),
        )
        .await;
        if kind.name == "add-on" {
            add_on = id.clone();
        }
        paths.push((
            kind.usage(h.property, &id),
            json!({ "inventoryIdentifier": id, "name": name, "type": kind.r#type,
                    "itemList": [], "referenced": false }),
        ));
    }
    for (path, expected) in &paths {
        let r = app.get(path, &h.p.token).await;
        assert_eq!((r.status, &r.json), (StatusCode::OK, expected), "{path}");
        // Another account's property: 404.
        let stranger = path.replace(&h.property.to_string(), &theirs.to_string());
        app.get(&stranger, &q.token)
            .await
            .problem(StatusCode::NOT_FOUND);
        app.get(path, &q.token).await.problem(StatusCode::NOT_FOUND);
    }
    // A promotion naming the add-on and a master rate of the room type and rate plan counts on
    // all three.
    h.promotion(
        &app,
        &promotion_with(
            "Package",
            json!({ "addOnIdentifiers": [add_on], "masterRateIdentifiers": [h.master(0, 0)] }),
        ),
    )
    .await;
    for (path, mut expected) in paths {
        if expected["type"] == "GUEST_ROOM" || expected["type"] == "ADD_ON" {
            expected["itemList"] = json!([{ "usage": "RATE_MODIFIER", "count": 1 }]);
            expected["referenced"] = json!(true);
        }
        assert_eq!(app.get(&path, &h.p.token).await.json, expected, "{path}");
    }
}

on_both_engines!(
    every_kind_lifecycle,
    every_kind_validation,
    add_on_named_by_promotions,
    add_on_for_a_rate_plan,
    nine_usage_operations
);
