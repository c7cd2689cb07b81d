//! Tags "Promotion" and "Promotion Bundle", master-rate perks, and the deletes that promotions
//! and bundles stand in the way of.

use axum::http::{Method, StatusCode, header};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::cancellation_policies::{create, if_match};
use crate::fixtures;
use crate::on_both_engines;
use crate::support::{Persona, TestApp, base};

/// A property with two room types and two rate plans, so four master rates.
pub struct Hotel {
    pub p: Persona,
    pub property: Uuid,
    pub rooms: Vec<String>,
    pub plans: Vec<String>,
    /// (master rate, room type, rate plan)
    pub masters: Vec<(String, String, String)>,
}

impl Hotel {
    pub async fn new(app: &TestApp) -> Hotel {
        let p = app.persona(&[]).await;
        let property = app.property(&p).await;
        Hotel::of(app, p, property).await
    }

    pub async fn of(app: &TestApp, p: Persona, property: Uuid) -> Hotel {
        let root = base(property);
        let policy = create(
            app,
            &format!("{root}/cancellation-policy"),
            &p.token,
            &fixtures::refundable_policy(),
        )
        .await;
        let mut rooms = Vec::new();
        for name in ["Deluxe", "Suite"] {
            rooms.push(
                create(
                    app,
                    &format!("{root}/facility/room-type"),
                    &p.token,
                    &fixtures::room_type(name, 5),
                )
                .await,
            );
        }
        let mut plans = Vec::new();
        for name in ["Flexible", "Saver"] {
            plans.push(
                create(
                    app,
                    &format!("{root}/rate-plan"),
                    &p.token,
                    &fixtures::rate_plan(name, &policy),
                )
                .await,
            );
        }
        let list = app
            .get(&format!("{root}/master-rate/list"), &p.token)
            .await
            .json;
        let masters = list
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["id"].as_str().unwrap().to_string(),
                    m["roomType"]["identifier"].as_str().unwrap().to_string(),
                    m["ratePlan"]["identifier"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        Hotel {
            p,
            property,
            rooms,
            plans,
            masters,
        }
    }

    pub fn root(&self) -> String {
        base(self.property)
    }

    /// The master rate of room type `room` and rate plan `plan` (indexes).
    pub fn master(&self, room: usize, plan: usize) -> String {
        self.masters
            .iter()
            .find(|(_, r, p)| *r == self.rooms[room] && *p == self.plans[plan])
            .map(|(m, _, _)| m.clone())
            .unwrap()
    }

    pub async fn promotion(&self, app: &TestApp, body: &Value) -> String {
        create(
            app,
            &format!("{}/promotion", self.root()),
            &self.p.token,
            body,
        )
        .await
    }
}

/// `fixtures::promotion(name)` with `extra` fields set.
pub fn promotion_with(name: &str, extra: Value) -> Value {
    let mut body = fixtures::promotion(name);
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

fn count(list: &Value) -> usize {
    list.as_array().unwrap().len()
}

async fn promotion_lifecycle(app: TestApp) {
    let h = Hotel::new(&app).await;
    let (m1, m2) = (h.master(0, 0), h.master(1, 1));
    let days = json!({ "mon": true, "tue": true, "wed": true, "thu": true, "fri": true, "sat": false, "sun": false });
    let body = json!({
        "name": "  Early bird ", "type": "DISCOUNT", "enabled": true, "pricingType": "PER_NIGHT",
        "modifier": { "type": "PERCENTAGE", "percent": 0.2 },
        "descriptions": [{ "description": "Book 30 days ahead and save 20 %.", "language": "en" }],
        "advanceBookingRateQualifier": { "minAdvanceBookingOffset": 30, "maxAdvanceBookingOffset": 0 },
        "lengthOfStayRateQualifier": { "minLOS": 2, "maxLOS": 14 },
        "stayDateRateQualifiers": [{ "effectiveDate": "2030-01-01", "expireDate": "2030-12-31" }],
        "sellDateRateQualifiers": [{ "effectiveDate": "2029-06-01", "expireDate": "2030-11-30" }],
        "blackoutDates": [{ "effectiveDate": "2030-12-24", "expireDate": "2030-12-26" }],
        "availableDaysOfWeekRateQualifier": { "daysOfWeek": days },
        "arrivalDaysOfWeekRateQualifier": { "daysOfWeek": days },
        "countryRateQualifiers": [{ "country": { "countryIsoCode": "TH", "countryName": "Thailand" } }],
        "continentRateQualifiers": [{ "continent": "AS" }],
        "cityRateQualifiers": [{ "city": {
            "geoNameId": "1609350", "localeCode": "en", "continentCode": "AS", "continentName": "Asia",
            "countryIsoCode": "TH", "countryName": "Thailand", "cityName": "Bangkok", "timezone": "Asia/Bangkok" } }],
        "promotionRateQualifiers": [{ "promotion": "EARLY30" }],
        "ipRangeRateQualifiers": [{ "startIPRange": "203.0.113.0", "endIPRange": "203.0.113.255" }],
        "timezoneRateQualifiers": [{ "timezone": "Asia/Bangkok" }],
        "roomRangeRateQualifier": { "minRooms": 1, "maxRooms": 3 },
        "prepayRateQualifier": { "prepay": false },
        "refundableRateQualifier": { "refundable": true },
        "masterRateIdentifiers": [m1, m2, m1],
        "ratePlanIdentifiers": [h.plans[0]]
    });
    let list = format!("{}/promotion/list", h.root());
    let r = app
        .post(&format!("{}/promotion", h.root()), &h.p.token, &body)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.headers[header::ETAG], "\"1\"");
    let id = r.json["id"].as_str().unwrap().to_string();
    let created = r.json["createdDate"].as_str().unwrap().to_string();
    let mut expected = body.clone();
    expected["name"] = json!("Early bird");
    expected["masterRateIdentifiers"] = json!([m1, m2]);
    expected["id"] = json!(id);
    expected["hotelIdentifier"] = json!(h.property);
    expected["createdDate"] = json!(created);
    expected["lastUpdate"] = json!(created);
    expected["version"] = json!(1);
    assert_eq!(r.json, expected);
    let one = format!("{}/promotion/{id}", h.root());
    assert_eq!(app.get(&one, &h.p.token).await.json, expected);
    assert_eq!(app.get(&list, &h.p.token).await.json, json!([expected]));

    // Replace: everything not sent goes; the version goes up.
    let replacement = promotion_with(
        "Weekend premium",
        json!({ "type": "PREMIUM", "pricingType": "PER_STAY",
                "modifier": { "type": "FIXED", "fixedAmount": { "amount": 500, "currency": "THB" } } }),
    );
    let r = app.put(&one, &h.p.token, &replacement).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.headers[header::ETAG], "\"2\"");
    let mut expected = replacement.clone();
    expected["modifier"]["fixedAmount"]["amount"] = json!(500.0);
    expected["id"] = json!(id);
    expected["hotelIdentifier"] = json!(h.property);
    expected["createdDate"] = json!(created);
    expected["lastUpdate"] = r.json["lastUpdate"].clone();
    expected["version"] = json!(2);
    assert_eq!(r.json, expected);
    assert_eq!(app.get(&one, &h.p.token).await.json, expected);

    // Stale versions: 409 in the body, 412 in If-Match; nothing changes.
    let mut stale = fixtures::promotion("Lost");
    stale["version"] = json!(1);
    app.put(&one, &h.p.token, &stale)
        .await
        .problem(StatusCode::CONFLICT);
    if_match(
        &app,
        Method::PUT,
        &one,
        &h.p.token,
        1,
        &fixtures::promotion("Lost"),
    )
    .await
    .problem(StatusCode::PRECONDITION_FAILED);
    assert_eq!(app.get(&one, &h.p.token).await.json, expected);
    let r = if_match(
        &app,
        Method::PUT,
        &one,
        &h.p.token,
        2,
        &fixtures::promotion("Last minute"),
    )
    .await;
    assert_eq!(
        (
            r.status,
            r.json["version"].as_i64(),
            r.json["name"].as_str()
        ),
        (StatusCode::OK, Some(3), Some("Last minute"))
    );

    // Another account, and another property of the same account, see nothing.
    let q = app.persona(&[]).await;
    let theirs = app.property(&q).await;
    let sibling = app.property(&h.p).await;
    for (owner, token) in [(theirs, &q.token), (sibling, &h.p.token)] {
        let path = format!("{}/promotion/{id}", base(owner));
        app.get(&path, token).await.problem(StatusCode::NOT_FOUND);
        app.put(&path, token, &fixtures::promotion("X"))
            .await
            .problem(StatusCode::NOT_FOUND);
        app.delete(&path, token)
            .await
            .problem(StatusCode::NOT_FOUND);
        assert_eq!(
            app.get(&format!("{}/promotion/list", base(owner)), token)
                .await
                .json,
            json!([])
        );
    }
    app.get(&one, &q.token).await.problem(StatusCode::NOT_FOUND);
    app.get(&format!("{}/promotion/not-a-uuid", h.root()), &h.p.token)
        .await
        .problem(StatusCode::NOT_FOUND);

    let r = app.delete(&one, &h.p.token).await;
    assert_eq!(
        (r.status, r.json["id"].as_str(), r.json["name"].as_str()),
        (StatusCode::OK, Some(id.as_str()), Some("Last minute"))
    );
    app.get(&one, &h.p.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    app.delete(&one, &h.p.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    assert_eq!(app.get(&list, &h.p.token).await.json, json!([]));
}

async fn promotion_validation(app: TestApp) {
    let h = Hotel::new(&app).await;
    let other = Hotel::of(&app, h.p.clone(), app.property(&h.p).await).await;
    let path = format!("{}/promotion", h.root());
    let list = format!("{path}/list");
    let cases = [
        (
            json!({ "lengthOfStayRateQualifier": { "minLOS": 7, "maxLOS": 3 } }),
            "/lengthOfStayRateQualifier/maxLOS",
        ),
        (
            json!({ "advanceBookingRateQualifier": { "minAdvanceBookingOffset": 10, "maxAdvanceBookingOffset": 5 } }),
            "/advanceBookingRateQualifier/maxAdvanceBookingOffset",
        ),
        (
            json!({ "roomRangeRateQualifier": { "minRooms": 3, "maxRooms": 2 } }),
            "/roomRangeRateQualifier/maxRooms",
        ),
        (
            json!({ "stayDateRateQualifiers": [
                { "effectiveDate": "2030-01-01", "expireDate": "2030-01-31" },
                { "effectiveDate": "2030-03-01", "expireDate": "2030-02-01" }] }),
            "/stayDateRateQualifiers/1/expireDate",
        ),
        (
            json!({ "blackoutDates": [{ "effectiveDate": "2030-03-01", "expireDate": "2030-02-01" }] }),
            "/blackoutDates/0/expireDate",
        ),
        (
            json!({ "modifier": { "type": "PERCENTAGE", "percent": 1.5 } }),
            "/modifier/percent",
        ),
        (
            json!({ "modifier": { "type": "PERCENTAGE" } }),
            "/modifier/percent",
        ),
        (
            json!({ "modifier": { "type": "FIXED", "fixedAmount": { "amount": 10, "currency": "EUR" } } }),
            "/modifier/fixedAmount/currency",
        ),
        (json!({ "name": "   " }), "/name"),
        (
            json!({ "continentRateQualifiers": [{ "continent": "Atlantis" }] }),
            "/continentRateQualifiers/0/continent",
        ),
        (
            json!({ "timezoneRateQualifiers": [{ "timezone": "Asia/Bangkok" }, { "timezone": "Mars/Olympus" }] }),
            "/timezoneRateQualifiers/1/timezone",
        ),
        (
            json!({ "ipRangeRateQualifiers": [{ "startIPRange": "10.0.0.9", "endIPRange": "10.0.0.1" }] }),
            "/ipRangeRateQualifiers/0/endIPRange",
        ),
        (
            json!({ "ipRangeRateQualifiers": [{ "startIPRange": "ten", "endIPRange": "10.0.0.1" }] }),
            "/ipRangeRateQualifiers/0/startIPRange",
        ),
        (
            json!({ "countryRateQualifiers": [{ "country": { "countryName": "Thailand" } }] }),
            "/countryRateQualifiers/0/country/countryIsoCode",
        ),
        (
            json!({ "masterRateIdentifiers": [h.master(0, 0), other.master(0, 0)] }),
            "/masterRateIdentifiers/1",
        ),
        (
            json!({ "masterRateIdentifiers": [Uuid::new_v4()] }),
            "/masterRateIdentifiers/0",
        ),
        (
            json!({ "ratePlanIdentifiers": [other.plans[0]] }),
            "/ratePlanIdentifiers/0",
        ),
        (
            json!({ "addOnIdentifiers": [Uuid::new_v4()] }),
            "/addOnIdentifiers/0",
        ),
    ];
    for (extra, field) in &cases {
        let r = app
            .post(&path, &h.p.token, &promotion_with("Broken", extra.clone()))
            .await;
        assert_eq!(r.invalid_fields(), [*field], "{extra}");
    }
    let r = app
        .post(
            &path,
            &h.p.token,
            &promotion_with("Broken", json!({ "addOnIdentifiers": [Uuid::new_v4()] })),
        )
        .await;
    assert!(
        r.json["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("is not an add-on of this property")
    );
    assert_eq!(app.get(&list, &h.p.token).await.json, json!([]));

    // A refused replacement changes nothing either.
    let id = h.promotion(&app, &fixtures::promotion("Kept")).await;
    let one = format!("{path}/{id}");
    let before = app.get(&one, &h.p.token).await.json;
    for (extra, field) in &cases {
        let r = app
            .put(&one, &h.p.token, &promotion_with("Broken", extra.clone()))
            .await;
        assert_eq!(r.invalid_fields(), [*field], "{extra}");
    }
    assert_eq!(app.get(&one, &h.p.token).await.json, before);
    assert_eq!(count(&app.get(&list, &h.p.token).await.json), 1);
}

async fn bundle_lifecycle(app: TestApp) {
    let h = Hotel::new(&app).await;
    let early = h.promotion(&app, &fixtures::promotion("Early bird")).await;
    let long = h
        .promotion(
            &app,
            &promotion_with(
                "Long stay",
                json!({
                    "modifier": { "type": "FIXED", "fixedAmount": { "amount": 300, "currency": "THB" } },
                    "descriptions": [
                        { "description": "300 THB off each night of a week or more.", "language": "en" },
                        { "description": "Séjour long.", "language": "fr" }
                    ],
                    "lengthOfStayRateQualifier": { "minLOS": 7, "maxLOS": 0 }
                }),
            ),
        )
        .await;
    let bundles = format!("{}/promotion-bundle", h.root());
    let mut body = fixtures::bundle(" Early and long ", &[&early, &long, &early]);
    body["type"] = json!("DISCOUNT");
    let r = app.post(&bundles, &h.p.token, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.headers[header::ETAG], "\"1\"");
    let id = r.json["id"].as_str().unwrap().to_string();
    let created = r.json["createdDate"].as_str().unwrap().to_string();
    let promotions = app
        .get(&format!("{}/promotion/list", h.root()), &h.p.token)
        .await
        .json;
    let light = |p: &Value| {
        let mut p = p.clone();
        let o = p.as_object_mut().unwrap();
        o.insert("identifier".into(), o["id"].clone());
        for key in ["id", "createdDate", "lastUpdate", "version"] {
            o.remove(key);
        }
        p
    };
    let expected = json!({
        "id": id, "hotelIdentifier": h.property, "createdDate": created, "lastUpdate": created,
        "version": 1, "name": "Early and long", "enabled": true,
        "items": [light(&promotions[0]), light(&promotions[1])],
        "aggregatedItemDescriptions": [
            { "description": "Early bird: 15 % off every night.\n300 THB off each night of a week or more.", "language": "en" },
            { "description": "Séjour long.", "language": "fr" }
        ],
        "hasFixedDiscountModifier": true, "hasPercentDiscountModifier": true
    });
    assert_eq!(r.json, expected);
    let one = format!("{bundles}/{id}");
    assert_eq!(app.get(&one, &h.p.token).await.json, expected);
    assert_eq!(
        app.get(&format!("{bundles}/list"), &h.p.token).await.json,
        json!([expected])
    );

    // An override replaces the items' discounts: a percentage only.
    let mut body = fixtures::bundle("Early and long", &[&long, &early]);
    body["modifierOverride"] = json!({ "type": "PERCENTAGE", "percent": 0.25 });
    body["type"] = json!("DISCOUNT");
    body["pricingType"] = json!("PER_NIGHT");
    body["descriptions"] =
        json!([{ "description": "25 % off a long early stay.", "language": "en" }]);
    let r = app.put(&one, &h.p.token, &body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.headers[header::ETAG], "\"2\"");
    assert_eq!(
        (
            &r.json["modifierOverride"],
            &r.json["type"],
            &r.json["pricingType"],
            &r.json["descriptions"],
            &r.json["hasFixedDiscountModifier"],
            &r.json["hasPercentDiscountModifier"],
            r.json.get("isValid"),
            r.json["version"].as_i64(),
            r.json["createdDate"].as_str()
        ),
        (
            &body["modifierOverride"],
            &json!("DISCOUNT"),
            &json!("PER_NIGHT"),
            &body["descriptions"],
            &json!(false),
            &json!(true),
            None,
            Some(2),
            Some(created.as_str())
        )
    );
    let items: Vec<&str> = r.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["identifier"].as_str().unwrap())
        .collect();
    assert_eq!(items, [long.as_str(), early.as_str()]);

    // Stale versions: 409 in the body, 412 in If-Match; nothing changes.
    let shown = app.get(&one, &h.p.token).await.json;
    let mut stale = fixtures::bundle("Lost", &[&early, &long]);
    stale["version"] = json!(1);
    app.put(&one, &h.p.token, &stale)
        .await
        .problem(StatusCode::CONFLICT);
    if_match(
        &app,
        Method::PUT,
        &one,
        &h.p.token,
        1,
        &fixtures::bundle("Lost", &[&early, &long]),
    )
    .await
    .problem(StatusCode::PRECONDITION_FAILED);
    assert_eq!(app.get(&one, &h.p.token).await.json, shown);

    // Another account, and another property of the same account, see nothing.
    let q = app.persona(&[]).await;
    let theirs = app.property(&q).await;
    let sibling = app.property(&h.p).await;
    for (owner, token) in [(theirs, &q.token), (sibling, &h.p.token)] {
        let path = format!("{}/promotion-bundle/{id}", base(owner));
        app.get(&path, token).await.problem(StatusCode::NOT_FOUND);
        app.put(&path, token, &fixtures::bundle("X", &[&early, &long]))
            .await
            .problem(StatusCode::NOT_FOUND);
        app.delete(&path, token)
            .await
            .problem(StatusCode::NOT_FOUND);
    }

    let r = app.delete(&one, &h.p.token).await;
    assert_eq!((r.status, &r.json), (StatusCode::OK, &shown));
    app.get(&one, &h.p.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&format!("{bundles}/list"), &h.p.token).await.json,
        json!([])
    );
    // Its promotions stay.
    assert_eq!(
        count(
            &app.get(&format!("{}/promotion/list", h.root()), &h.p.token)
                .await
                .json
        ),
        2
    );
}

async fn bundle_refusals_and_422(app: TestApp) {
    let h = Hotel::new(&app).await;
    let other = Hotel::of(&app, h.p.clone(), app.property(&h.p).await).await;
    let early = h
        .promotion(
            &app,
            &promotion_with(
                "Early booker",
                json!({ "advanceBookingRateQualifier": { "minAdvanceBookingOffset": 30 } }),
            ),
        )
        .await;
    let last = h
        .promotion(
            &app,
            &promotion_with(
                "Last minute",
                json!({ "lastMinuteRateQualifier": { "seconds": 7 * 86400 } }),
            ),
        )
        .await;
    let weekend = h.promotion(&app, &fixtures::promotion("Weekend")).await;
    let foreign = other.promotion(&app, &fixtures::promotion("Theirs")).await;
    let bundles = format!("{}/promotion-bundle", h.root());
    let list = format!("{bundles}/list");

    // A wrong request: 400 naming the field, nothing stored.
    let with = |extra: Value| {
        let mut body = fixtures::bundle("Pair", &[&early, &weekend]);
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let cases = [
        (
            json!({ "itemIdentifiers": [early, early] }),
            "/itemIdentifiers",
        ),
        (
            json!({ "itemIdentifiers": [early, foreign] }),
            "/itemIdentifiers/1",
        ),
        (
            json!({ "itemIdentifiers": [Uuid::new_v4(), early] }),
            "/itemIdentifiers/0",
        ),
        (json!({ "name": "  " }), "/name"),
        (
            json!({ "modifierOverride": { "type": "PERCENTAGE", "percent": 0.3 }, "pricingType": "PER_NIGHT" }),
            "/type",
        ),
        (
            json!({ "modifierOverride": { "type": "PERCENTAGE", "percent": 0.3 }, "type": "DISCOUNT" }),
            "/pricingType",
        ),
        (
            json!({ "modifierOverride": { "type": "PERCENTAGE", "percent": 2 }, "type": "DISCOUNT", "pricingType": "PER_NIGHT" }),
            "/modifierOverride/percent",
        ),
        (
            json!({ "modifierOverride": { "type": "FIXED", "fixedAmount": { "amount": 100, "currency": "USD" } }, "type": "DISCOUNT", "pricingType": "PER_NIGHT" }),
            "/modifierOverride/fixedAmount/currency",
        ),
    ];
    for (extra, field) in &cases {
        let r = app.post(&bundles, &h.p.token, &with(extra.clone())).await;
        assert_eq!(r.invalid_fields(), [*field], "{extra}");
    }
    assert_eq!(app.get(&list, &h.p.token).await.json, json!([]));

    // Items that can never apply together: stored, answered 422 with the bundle.
    let r = app
        .post(
            &bundles,
            &h.p.token,
            &fixtures::bundle("Early and last", &[&early, &last]),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.json);
    assert_eq!(r.content_type(), "application/json");
    assert_eq!(r.headers[header::ETAG], "\"1\"");
    // `isValid` is write-only in the contract: the status is the answer.
    assert_eq!(
        (
            r.json.get("isValid"),
            r.json["name"].as_str(),
            r.json["version"].as_i64()
        ),
        (None, Some("Early and last"), Some(1))
    );
    let id = r.json["id"].as_str().unwrap().to_string();
    let one = format!("{bundles}/{id}");
    let shown = app.get(&one, &h.p.token).await;
    assert_eq!((shown.status, &shown.json), (StatusCode::OK, &r.json));
    assert_eq!(app.get(&list, &h.p.token).await.json, json!([r.json]));
    for (extra, field) in &cases {
        let r = app.put(&one, &h.p.token, &with(extra.clone())).await;
        assert_eq!(r.invalid_fields(), [*field], "{extra}");
    }
    assert_eq!(app.get(&one, &h.p.token).await.json, r.json);

    // Validity follows the items: a last minute of 40 days can meet a 30-day early booking.
    let r = app
        .put(
            &format!("{}/promotion/{last}", h.root()),
            &h.p.token,
            &promotion_with(
                "Last minute",
                json!({ "lastMinuteRateQualifier": { "seconds": 40 * 86400 } }),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let r = app
        .put(
            &one,
            &h.p.token,
            &fixtures::bundle("Early and last", &[&early, &last]),
        )
        .await;
    assert_eq!(
        (r.status, r.json["version"].as_i64()),
        (StatusCode::OK, Some(2))
    );

    // An hourly override never prices a room: 422 again, and stored.
    let mut hourly = fixtures::bundle("Early and last", &[&early, &last]);
    hourly["modifierOverride"] = json!({ "type": "PERCENTAGE", "percent": 0.1 });
    hourly["type"] = json!("DISCOUNT");
    hourly["pricingType"] = json!("PER_HOUR");
    let r = app.put(&one, &h.p.token, &hourly).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.json);
    assert_eq!(
        (r.json["pricingType"].as_str(), r.json["version"].as_i64()),
        (Some("PER_HOUR"), Some(3))
    );
    assert_eq!(r.headers[header::ETAG], "\"3\"");
    assert_eq!(app.get(&one, &h.p.token).await.json, r.json);
    // A valid replacement: 200.
    let r = app
        .put(
            &one,
            &h.p.token,
            &fixtures::bundle("Early and weekend", &[&early, &weekend]),
        )
        .await;
    assert_eq!(
        (r.status, r.json["version"].as_i64()),
        (StatusCode::OK, Some(4))
    );
    // A promotion change can make it impossible again: re-sending it says so.
    let r = app
        .put(
            &format!("{}/promotion/{weekend}", h.root()),
            &h.p.token,
            &promotion_with(
                "Weekend",
                json!({ "advanceBookingRateQualifier": { "maxAdvanceBookingOffset": 7 } }),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let r = app
        .put(
            &one,
            &h.p.token,
            &fixtures::bundle("Early and weekend", &[&early, &weekend]),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.json);
}

async fn deletes_refused_while_referenced(app: TestApp) {
    let h = Hotel::new(&app).await;
    let root = h.root();
    // P names the master rate Deluxe x Flexible; Q names the rate plan Flexible.
    let p_id = h
        .promotion(
            &app,
            &promotion_with(
                "Deluxe deal",
                json!({ "masterRateIdentifiers": [h.master(0, 0)] }),
            ),
        )
        .await;
    let q_id = h
        .promotion(
            &app,
            &promotion_with(
                "Flexible deal",
                json!({ "ratePlanIdentifiers": [h.plans[0]] }),
            ),
        )
        .await;
    let bundle = create(
        &app,
        &format!("{root}/promotion-bundle"),
        &h.p.token,
        &fixtures::bundle("Both deals", &[&p_id, &q_id]),
    )
    .await;

    let conflict = |r: crate::support::TestResponse, names: &[&str], not: &[&str]| {
        let detail = r.problem(StatusCode::CONFLICT)["detail"]
            .as_str()
            .unwrap()
            .to_string();
        for name in names {
            assert!(detail.contains(name), "{detail} should name {name}");
        }
        for name in not {
            assert!(!detail.contains(name), "{detail} should not name {name}");
        }
    };
    let promotion = |id: &str| format!("{root}/promotion/{id}");
    let room = |i: usize| format!("{root}/facility/room-type/{}", h.rooms[i]);
    let plan = |i: usize| format!("{root}/rate-plan/{}", h.plans[i]);
    conflict(
        app.delete(&promotion(&p_id), &h.p.token).await,
        &["Both deals", &bundle],
        &[],
    );
    conflict(
        app.delete(&room(0), &h.p.token).await,
        &["Deluxe deal", &p_id],
        &["Flexible deal"],
    );
    conflict(
        app.delete(&plan(0), &h.p.token).await,
        &["Deluxe deal", &p_id, "Flexible deal", &q_id],
        &[],
    );
    for path in [promotion(&p_id), room(0), plan(0)] {
        assert_eq!(app.get(&path, &h.p.token).await.status, StatusCode::OK);
    }
    assert_eq!(
        count(
            &app.get(&format!("{root}/master-rate/list"), &h.p.token)
                .await
                .json
        ),
        4
    );
    // Nobody names the Saver plan or the Suite's master rates (Q names the rate plan, not
    // the Suite x Flexible master rate).
    assert_eq!(
        app.delete(&plan(1), &h.p.token).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.delete(&room(1), &h.p.token).await.status,
        StatusCode::OK
    );

    // Once the references are gone, the deletes go through.
    assert_eq!(
        app.delete(&format!("{root}/promotion-bundle/{bundle}"), &h.p.token)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.delete(&promotion(&p_id), &h.p.token).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.delete(&room(0), &h.p.token).await.status,
        StatusCode::OK
    );
    conflict(
        app.delete(&plan(0), &h.p.token).await,
        &["Flexible deal", &q_id],
        &["Deluxe deal"],
    );
    let r = app
        .put(
            &promotion(&q_id),
            &h.p.token,
            &fixtures::promotion("Flexible deal"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(
        app.delete(&plan(0), &h.p.token).await.status,
        StatusCode::OK
    );
}

async fn master_rate_perks(app: TestApp) {
    let h = Hotel::new(&app).await;
    let master = h.master(0, 1);
    let one = format!("{}/master-rate/{master}", h.root());
    let perks = format!("{one}/perks");
    let r = app
        .patch(
            &perks,
            &h.p.token,
            &json!({ "perkTypes": ["LATE_CHECKOUT", "FREE_WIFI", "LATE_CHECKOUT"] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.headers[header::ETAG], "\"2\"");
    let expected = json!([
        { "identifier": "FREE_WIFI", "guaranteed": true, "level": 0, "sort": 1,
          "descriptions": [{ "name": "Free Wi-Fi", "description": "Wireless internet for every guest throughout the stay, at no charge.", "language": "en" }] },
        { "identifier": "LATE_CHECKOUT", "guaranteed": false, "level": 1, "sort": 7,
          "descriptions": [{ "name": "Late check-out", "description": "Check out after the standard time when the room is not needed.", "language": "en" }] }
    ]);
    assert_eq!(r.json["perkTypes"], expected);
    assert_eq!(
        (r.json["id"].as_str(), r.json["version"].as_i64()),
        (Some(master.as_str()), Some(2))
    );
    let shown = app.get(&one, &h.p.token).await.json;
    assert_eq!(shown, r.json);
    let list = app
        .get(&format!("{}/master-rate/list", h.root()), &h.p.token)
        .await
        .json;
    for m in list.as_array().unwrap() {
        if m["id"] == json!(master) {
            assert_eq!(m, &r.json);
        } else {
            assert_eq!(m.get("perkTypes"), None);
        }
    }

    // An unknown code changes nothing.
    let r = app
        .patch(
            &perks,
            &h.p.token,
            &json!({ "perkTypes": ["SPA_CREDIT", "PERK_WINE"] }),
        )
        .await;
    assert_eq!(r.invalid_fields(), ["/perkTypes/1"]);
    assert!(r.json["detail"].as_str().unwrap().contains("PERK_WINE"));
    // Stale versions: 412 in If-Match, 409 in the body.
    if_match(
        &app,
        Method::PATCH,
        &perks,
        &h.p.token,
        1,
        &json!({ "perkTypes": ["SPA_CREDIT"] }),
    )
    .await
    .problem(StatusCode::PRECONDITION_FAILED);
    app.patch(
        &perks,
        &h.p.token,
        &json!({ "perkTypes": ["SPA_CREDIT"], "version": 1 }),
    )
    .await
    .problem(StatusCode::CONFLICT);
    assert_eq!(app.get(&one, &h.p.token).await.json, shown);

    let r = if_match(
        &app,
        Method::PATCH,
        &perks,
        &h.p.token,
        2,
        &json!({ "perkTypes": ["SPA_CREDIT"] }),
    )
    .await;
    assert_eq!(
        (
            r.status,
            r.json["version"].as_i64(),
            &r.json["perkTypes"][0]["identifier"]
        ),
        (StatusCode::OK, Some(3), &json!("SPA_CREDIT"))
    );
    // No perkTypes clears them.
    let r = app.patch(&perks, &h.p.token, &json!({})).await;
    assert_eq!(
        (
            r.status,
            r.json["version"].as_i64(),
            r.json.get("perkTypes")
        ),
        (StatusCode::OK, Some(4), None)
    );

    // Another account, and another property of the same account, see nothing.
    let q = app.persona(&[]).await;
    let theirs = app.property(&q).await;
    let sibling = app.property(&h.p).await;
    for (owner, token) in [(theirs, &q.token), (sibling, &h.p.token)] {
        let path = format!("{}/master-rate/{master}/perks", base(owner));
        app.patch(&path, token, &json!({ "perkTypes": ["FREE_WIFI"] }))
            .await
            .problem(StatusCode::NOT_FOUND);
    }
    assert_eq!(app.get(&one, &h.p.token).await.json["version"], 4);
}

on_both_engines!(
    promotion_lifecycle,
    promotion_validation,
    bundle_lifecycle,
    bundle_refusals_and_422,
    deletes_refused_while_referenced,
    master_rate_perks
);
