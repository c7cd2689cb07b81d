//! Tags "Rate Plan" and "Master Rate".

use axum::http::{Method, StatusCode, header};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::cancellation_policies::{create, if_match};
use crate::fixtures;
use crate::on_both_engines;
use crate::support::{TestApp, base};

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect()
}

async fn rate_plan_lifecycle(app: TestApp) {
    let p = app.persona(&[]).await;
    let property = app.property(&p).await;
    let policies = format!("{}/cancellation-policy", base(property));
    let main = create(&app, &policies, &p.token, &fixtures::refundable_policy()).await;
    let special = create(
        &app,
        &policies,
        &p.token,
        &fixtures::non_refundable_policy(),
    )
    .await;
    let plans = format!("{}/rate-plan", base(property));

    let mut body = fixtures::rate_plan("Bed & Breakfast", &main);
    body["cancellationPolicyExceptions"] = json!({ "list": [
        { "cancellationPolicyIdentifier": special, "startDate": "2030-12-20", "endDate": "2031-01-05" },
        { "cancellationPolicyIdentifier": main, "startDate": "2031-01-06", "endDate": "2031-01-06" }
    ]});
    let r = app.post(&plans, &p.token, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.headers[header::ETAG], "\"1\"");
    let id = r.json["id"].as_str().unwrap().to_string();
    let created = r.json["createdDate"].as_str().unwrap();
    let main_light = json!({
        "identifier": main, "hotelIdentifier": property, "refundable": true,
        "advanceCancellationFreeOfCharge": "TWO_DAYS_BEFORE_ARRIVAL",
        "refundableCancellationCharge": "FIFTY_PERCENT",
        "noShowCharge": "ONE_HUNDRED_PERCENT_OF_TOTAL_CHARGE",
        "policyCode": "FREE-2D/50%/NS-100%"
    });
    let special_light = json!({
        "identifier": special, "hotelIdentifier": property, "refundable": false,
        "nonRefundableCancellationCharge": "TEN_PERCENT",
        "nonRefundableDeadline": "SEVEN_DAYS_BEFORE_ARRIVAL",
        "nonRefundableAfterDeadlineCancellationCharge": "ONE_HUNDRED_PERCENT",
        "policyCode": "NR-10%/7D/100%"
    });
    let mut expected = fixtures::rate_plan("Bed & Breakfast", &main);
    // Amounts are answered as JSON numbers with a fraction.
    expected["ratePlanLevelFees"][0]["fixedAmount"]["amount"] = json!(50.0);
    expected["extraPaxRateModifier"]["fixedAmount"]["amount"] = json!(500.0);
    let object = expected.as_object_mut().unwrap();
    object.remove("cancellationPolicyIdentifier");
    object.insert("id".into(), json!(id));
    object.insert("hotelIdentifier".into(), json!(property));
    object.insert("createdDate".into(), json!(created));
    object.insert("lastUpdate".into(), json!(created));
    object.insert("version".into(), json!(1));
    object.insert("cancellationPolicy".into(), main_light.clone());
    object.insert(
        "cancellationPolicyExceptions".into(),
        json!({ "list": [
            { "cancellationPolicyIdentifier": special, "cancellationPolicy": special_light,
              "startDate": "2030-12-20", "endDate": "2031-01-05" },
            { "cancellationPolicyIdentifier": main, "cancellationPolicy": main_light,
              "startDate": "2031-01-06", "endDate": "2031-01-06" }
        ]}),
    );
    assert_eq!(r.json, expected);
    let one = format!("{plans}/{id}");
    assert_eq!(app.get(&one, &p.token).await.json, expected);
    assert_eq!(
        app.get(&format!("{plans}/list"), &p.token).await.json,
        json!([expected])
    );

    // Replace: the exceptions go, the policy changes, the version goes up.
    let mut body = fixtures::rate_plan("  Room Only ", &special);
    body["breakfast"] = json!(false);
    let r = app.put(&one, &p.token, &body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(
        (
            r.json["version"].as_i64(),
            r.json["name"].as_str(),
            r.json["breakfast"].as_bool(),
            &r.json["cancellationPolicy"],
            r.json.get("cancellationPolicyExceptions"),
            r.json["createdDate"].as_str()
        ),
        (
            Some(2),
            Some("Room Only"),
            Some(false),
            &special_light,
            None,
            Some(created)
        )
    );
    assert_eq!(r.headers[header::ETAG], "\"2\"");

    // Stale versions: 409 in the body, 412 in If-Match; nothing changes.
    let mut stale = fixtures::rate_plan("Lost", &main);
    stale["version"] = json!(1);
    app.put(&one, &p.token, &stale)
        .await
        .problem(StatusCode::CONFLICT);
    if_match(
        &app,
        Method::PUT,
        &one,
        &p.token,
        1,
        &fixtures::rate_plan("Lost", &main),
    )
    .await
    .problem(StatusCode::PRECONDITION_FAILED);
    let shown = app.get(&one, &p.token).await.json;
    assert_eq!(
        (shown["name"].as_str(), shown["version"].as_i64()),
        (Some("Room Only"), Some(2))
    );
    let r = if_match(
        &app,
        Method::PUT,
        &one,
        &p.token,
        2,
        &fixtures::rate_plan("Flexible", &main),
    )
    .await;
    assert_eq!(
        (r.status, r.json["version"].as_i64()),
        (StatusCode::OK, Some(3))
    );

    // Another account, and another property of the same account, see nothing.
    let q = app.persona(&[]).await;
    let theirs = app.property(&q).await;
    let sibling = app.property(&p).await;
    for (owner, token) in [(theirs, &q.token), (sibling, &p.token)] {
        let path = format!("{}/rate-plan/{id}", base(owner));
        app.get(&path, token).await.problem(StatusCode::NOT_FOUND);
        app.put(&path, token, &fixtures::rate_plan("X", &main))
            .await
            .problem(StatusCode::NOT_FOUND);
        app.delete(&path, token)
            .await
            .problem(StatusCode::NOT_FOUND);
    }
    app.get(&one, &q.token).await.problem(StatusCode::NOT_FOUND);

    let r = app.delete(&one, &p.token).await;
    assert_eq!(
        (r.status, r.json["id"].as_str(), r.json["name"].as_str()),
        (StatusCode::OK, Some(id.as_str()), Some("Flexible"))
    );
    app.get(&one, &p.token).await.problem(StatusCode::NOT_FOUND);
    app.delete(&one, &p.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&format!("{plans}/list"), &p.token).await.json,
        json!([])
    );
}

async fn rate_plan_validation(app: TestApp) {
    let p = app.persona(&[]).await;
    let property = app.property(&p).await;
    let sibling = app.property(&p).await;
    let policies = format!("{}/cancellation-policy", base(property));
    let main = create(&app, &policies, &p.token, &fixtures::refundable_policy()).await;
    let other = create(
        &app,
        &policies,
        &p.token,
        &fixtures::non_refundable_policy(),
    )
    .await;
    let foreign = create(
        &app,
        &format!("{}/cancellation-policy", base(sibling)),
        &p.token,
        &fixtures::refundable_policy(),
    )
    .await;
    // A room type, so a refused plan would show as a master rate.
    create(
        &app,
        &format!("{}/facility/room-type", base(property)),
        &p.token,
        &fixtures::room_type("Deluxe", 5),
    )
    .await;
    let plans = format!("{}/rate-plan", base(property));
    let exception = |policy: &str, start: &str, end: &str| json!({ "cancellationPolicyIdentifier": policy, "startDate": start, "endDate": end });
    let with = |field: &str, value: Value| {
        let mut body = fixtures::rate_plan("Best", &main);
        body[field] = value;
        body
    };
    let mut sell = with("sellStartDate", json!("2030-01-01"));
    sell["sellEndDate"] = json!("2029-12-31");
    let cases = [
        (
            with("cancellationPolicyIdentifier", json!(foreign)),
            "/cancellationPolicyIdentifier",
        ),
        (
            with("cancellationPolicyIdentifier", json!(Uuid::new_v4())),
            "/cancellationPolicyIdentifier",
        ),
        (
            with(
                "cancellationPolicyExceptions",
                json!({ "list": [exception(&foreign, "2030-01-01", "2030-01-31")] }),
            ),
            "/cancellationPolicyExceptions/list/0/cancellationPolicyIdentifier",
        ),
        (
            with(
                "cancellationPolicyExceptions",
                json!({ "list": [exception(&other, "2030-01-31", "2030-01-01")] }),
            ),
            "/cancellationPolicyExceptions/list/0/endDate",
        ),
        (
            with(
                "cancellationPolicyExceptions",
                json!({ "list": [
                    exception(&other, "2030-01-01", "2030-01-31"),
                    exception(&main, "2030-01-31", "2030-02-10")
                ]}),
            ),
            "/cancellationPolicyExceptions/list/1/startDate",
        ),
        (
            with("cancellationPolicyExceptions", json!({ "list": [] })),
            "/cancellationPolicyExceptions/list",
        ),
        (with("maxLOS", json!(0)), "/maxLOS"),
        (with("minLOS", json!(40)), "/maxLOS"),
        (sell, "/sellEndDate"),
        (
            with(
                "ratePlanLevelFees",
                json!([{ "descriptions": [{ "description": "Tax", "language": "en" }],
                         "fixedAmount": { "amount": 50, "currency": "EUR" }, "type": "PER_STAY" }]),
            ),
            "/ratePlanLevelFees/0/fixedAmount/currency",
        ),
        (
            with(
                "extraPaxRateModifier",
                json!({ "type": "FIXED", "fixedAmount": { "amount": 5, "currency": "USD" } }),
            ),
            "/extraPaxRateModifier/fixedAmount/currency",
        ),
        (
            with("extraChildRateModifier", json!({ "type": "PERCENTAGE" })),
            "/extraChildRateModifier/percent",
        ),
        (with("name", json!("")), "/name"),
    ];
    for (body, field) in &cases {
        let r = app.post(&plans, &p.token, body).await;
        assert_eq!(r.invalid_fields(), [*field], "{body}");
    }
    assert_eq!(
        app.get(&format!("{plans}/list"), &p.token).await.json,
        json!([])
    );
    let masters = format!("{}/master-rate/list", base(property));
    assert_eq!(app.get(&masters, &p.token).await.json, json!([]));

    // Refused updates change nothing.
    let id = create(&app, &plans, &p.token, &fixtures::rate_plan("Best", &main)).await;
    let one = format!("{plans}/{id}");
    let before = app.get(&one, &p.token).await.json;
    for (body, field) in cases.iter().take(6) {
        let r = app.put(&one, &p.token, body).await;
        assert_eq!(r.invalid_fields(), [*field], "{body}");
    }
    assert_eq!(app.get(&one, &p.token).await.json, before);
}

async fn master_rates_follow_room_types_and_plans(app: TestApp) {
    let p = app.persona(&[]).await;
    let property = app.property(&p).await;
    let root = base(property);
    let policy = create(
        &app,
        &format!("{root}/cancellation-policy"),
        &p.token,
        &fixtures::refundable_policy(),
    )
    .await;
    let rooms = format!("{root}/facility/room-type");
    let plans = format!("{root}/rate-plan");
    let masters = format!("{root}/master-rate");

    // Room type first, then a rate plan: one master rate.
    let deluxe = create(&app, &rooms, &p.token, &fixtures::room_type("Deluxe", 5)).await;
    assert_eq!(
        app.get(&format!("{masters}/list"), &p.token).await.json,
        json!([])
    );
    let r = app
        .post(
            &plans,
            &p.token,
            &fixtures::rate_plan("Bed & Breakfast", &policy),
        )
        .await;
    let bb = r.json["id"].as_str().unwrap().to_string();
    let bb_plan = r.json.clone();
    let list = app.get(&format!("{masters}/list"), &p.token).await.json;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let m = &list[0];
    let master = m["id"].as_str().unwrap().to_string();
    let room = app.get(&format!("{rooms}/{deluxe}"), &p.token).await.json;
    let mut room_light = room.clone();
    for key in ["id", "createdDate", "lastUpdate", "version"] {
        room_light.as_object_mut().unwrap().remove(key);
    }
    room_light["identifier"] = json!(deluxe);
    let mut plan_light = bb_plan.clone();
    for key in ["id", "createdDate", "lastUpdate", "version"] {
        plan_light.as_object_mut().unwrap().remove(key);
    }
    plan_light["identifier"] = json!(bb);
    let created = m["createdDate"].as_str().unwrap();
    let expected = json!({
        "id": master, "createdDate": created, "lastUpdate": created, "version": 1,
        "hotelIdentifier": property, "name": "Deluxe - Bed & Breakfast",
        "roomType": room_light, "ratePlan": plan_light, "enabled": true
    });
    // The lightweight forms keep only their schema's fields.
    let mut m_cmp = m.clone();
    for (part, full) in [("roomType", &room), ("ratePlan", &bb_plan)] {
        for (key, value) in m[part].as_object().unwrap() {
            if key != "identifier" {
                assert_eq!(&full[key], value, "{part}.{key}");
            }
        }
        m_cmp[part] = expected[part].clone();
    }
    assert_eq!(m_cmp, expected);
    assert_eq!(m["roomType"]["identifier"], deluxe.as_str());
    assert_eq!(m["ratePlan"]["identifier"], bb.as_str());
    assert_eq!(
        m["ratePlan"]["cancellationPolicy"]["identifier"],
        policy.as_str()
    );
    assert!(m.get("perkTypes").is_none());
    let shown = app.get(&format!("{masters}/{master}"), &p.token).await;
    assert_eq!((shown.status, &shown.json), (StatusCode::OK, m));
    assert_eq!(shown.headers[header::ETAG], "\"1\"");

    // A second plan, then a second room type: every pair has its master rate.
    let ro = create(
        &app,
        &plans,
        &p.token,
        &fixtures::rate_plan("Room Only", &policy),
    )
    .await;
    let suite = create(&app, &rooms, &p.token, &fixtures::room_type("Suite", 2)).await;
    let list = app.get(&format!("{masters}/list"), &p.token).await.json;
    let mut pairs: Vec<(String, String, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["roomType"]["identifier"].as_str().unwrap().to_string(),
                m["ratePlan"]["identifier"].as_str().unwrap().to_string(),
                m["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    pairs.sort();
    let mut want = vec![
        (
            deluxe.clone(),
            bb.clone(),
            "Deluxe - Bed & Breakfast".to_string(),
        ),
        (deluxe.clone(), ro.clone(), "Deluxe - Room Only".to_string()),
        (
            suite.clone(),
            bb.clone(),
            "Suite - Bed & Breakfast".to_string(),
        ),
        (suite.clone(), ro.clone(), "Suite - Room Only".to_string()),
    ];
    want.sort();
    assert_eq!(pairs, want);

    // Toggle: the version goes up; stale versions are refused and change nothing.
    let one = format!("{masters}/{master}/toggle");
    let r = app
        .patch(&one, &p.token, &json!({ "enabled": false }))
        .await;
    assert_eq!(
        (
            r.status,
            r.json["enabled"].as_bool(),
            r.json["version"].as_i64()
        ),
        (StatusCode::OK, Some(false), Some(2))
    );
    assert_eq!(r.headers[header::ETAG], "\"2\"");
    app.patch(&one, &p.token, &json!({ "enabled": true, "version": 1 }))
        .await
        .problem(StatusCode::CONFLICT);
    if_match(
        &app,
        Method::PATCH,
        &one,
        &p.token,
        1,
        &json!({ "enabled": true }),
    )
    .await
    .problem(StatusCode::PRECONDITION_FAILED);
    let shown = app.get(&format!("{masters}/{master}"), &p.token).await.json;
    assert_eq!(
        (shown["enabled"].as_bool(), shown["version"].as_i64()),
        (Some(false), Some(2))
    );
    let r = app
        .patch(&one, &p.token, &json!({ "enabled": true, "version": 2 }))
        .await;
    assert_eq!(
        (
            r.status,
            r.json["enabled"].as_bool(),
            r.json["version"].as_i64()
        ),
        (StatusCode::OK, Some(true), Some(3))
    );
    assert_eq!(
        app.patch(&one, &p.token, &json!({})).await.invalid_fields(),
        ["/enabled"]
    );

    // Another account, and another property of the same account, see nothing.
    let q = app.persona(&[]).await;
    let theirs = app.property(&q).await;
    let sibling = app.property(&p).await;
    for (owner, token) in [(theirs, &q.token), (sibling, &p.token)] {
        let path = format!("{}/master-rate/{master}", base(owner));
        app.get(&path, token).await.problem(StatusCode::NOT_FOUND);
        app.patch(
            &format!("{path}/toggle"),
            token,
            &json!({ "enabled": false }),
        )
        .await
        .problem(StatusCode::NOT_FOUND);
    }
    assert_eq!(
        app.get(&format!("{}/master-rate/list", base(sibling)), &p.token)
            .await
            .json,
        json!([])
    );

    // Deleting a rate plan, then a room type, takes their master rates (and rates) along.
    let bulk = json!({ "startDate": "2030-05-01", "endDate": "2030-05-02", "rateSource": "TRAVELIKO",
        "master": true, "closedOnArrival": false, "closedOnDeparture": false,
        "rate": { "amount": 1000, "currency": "THB" } });
    for m in list.as_array().unwrap() {
        let id = m["id"].as_str().unwrap();
        let r = app
            .put(&format!("{masters}/{id}/rate/bulk"), &p.token, &bulk)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    }
    let range = json!({ "startDate": "2030-05-01", "endDate": "2030-05-02" });
    let rates = app
        .post(&format!("{masters}/rates/dates"), &p.token, &range)
        .await
        .json;
    assert_eq!(rates.as_array().unwrap().len(), 8);
    assert_eq!(
        app.delete(&format!("{plans}/{bb}"), &p.token).await.status,
        StatusCode::OK
    );
    let list = app.get(&format!("{masters}/list"), &p.token).await.json;
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|m| m["ratePlan"]["identifier"] == ro.as_str())
    );
    assert_eq!(list.as_array().unwrap().len(), 2);
    app.get(&format!("{masters}/{master}"), &p.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    let rates = app
        .post(&format!("{masters}/rates/dates"), &p.token, &range)
        .await
        .json;
    assert_eq!(rates.as_array().unwrap().len(), 4);
    assert!(
        rates
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["ratePlanIdentifier"] == ro.as_str())
    );
    assert_eq!(
        app.delete(&format!("{rooms}/{deluxe}"), &p.token)
            .await
            .status,
        StatusCode::OK
    );
    let list = app.get(&format!("{masters}/list"), &p.token).await.json;
    assert_eq!(ids(&list).len(), 1);
    assert_eq!(list[0]["name"], "Suite - Room Only");
    let rates = app
        .post(&format!("{masters}/rates/dates"), &p.token, &range)
        .await
        .json;
    assert_eq!(rates.as_array().unwrap().len(), 2);
    assert!(
        rates
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["guestRoomIdentifier"] == suite.as_str())
    );
}

on_both_engines!(
    rate_plan_lifecycle,
    rate_plan_validation,
    master_rates_follow_room_types_and_plans
);
