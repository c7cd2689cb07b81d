//! Tag "Daily Rate": bulk and keyed updates, and the date-range reads.

use axum::http::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::cancellation_policies::create;
use crate::fixtures;
use crate::on_both_engines;
use crate::support::{Persona, TestApp, base};

/// A property with one room type ("Deluxe") and two rate plans, so two master rates share the
/// room type's availability.
struct Setup {
    p: Persona,
    property: Uuid,
    room: String,
    plan1: String,
    plan2: String,
    /// Master rates (Deluxe x plan1, Deluxe x plan2).
    m1: String,
    m2: String,
}

impl Setup {
    async fn new(app: &TestApp) -> Setup {
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
        let plans = format!("{root}/rate-plan");
        let plan1 = create(
            app,
            &plans,
            &p.token,
            &fixtures::rate_plan("Flexible", &policy),
        )
        .await;
        let plan2 = create(
            app,
            &plans,
            &p.token,
            &fixtures::rate_plan("Saver", &policy),
        )
        .await;
        let list = app
            .get(&format!("{root}/master-rate/list"), &p.token)
            .await
            .json;
        let master_of = |plan: &str| {
            list.as_array()
                .unwrap()
                .iter()
                .find(|m| m["ratePlan"]["identifier"] == plan)
                .unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        };
        let (m1, m2) = (master_of(&plan1), master_of(&plan2));
        Setup {
            p,
            property,
            room,
            plan1,
            plan2,
            m1,
            m2,
        }
    }

    fn root(&self) -> String {
        base(self.property)
    }

    fn bulk(&self, master: &str) -> String {
        format!("{}/master-rate/{master}/rate/bulk", self.root())
    }

    fn dates(&self, master: &str) -> String {
        format!("{}/master-rate/{master}/rates/dates", self.root())
    }

    fn hotel_dates(&self) -> String {
        format!("{}/master-rate/rates/dates", self.root())
    }

    fn update(&self) -> String {
        format!("{}/rate/update", self.root())
    }

    async fn hotel_rates(&self, app: &TestApp, start: &str, end: &str) -> Value {
        let r = app
            .post(
                &self.hotel_dates(),
                &self.p.token,
                &json!({ "startDate": start, "endDate": end }),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.json);
        r.json
    }

    fn key(&self, plan: &str, date: &str) -> Value {
        json!({ "hotelIdentifier": self.property, "ratePlanIdentifier": plan,
                "guestRoomIdentifier": self.room, "date": date })
    }
}

fn bulk_body(start: &str, end: &str) -> Value {
    json!({ "startDate": start, "endDate": end, "rateSource": "TRAVELIKO",
            "master": true, "closedOnArrival": false, "closedOnDeparture": false })
}

/// (date, quantity) of each rate.
/// Every date of a calendar read is as a new one: nothing was ever set.
fn assert_nothing_set(rates: &Value) {
    let rates = rates.as_array().unwrap();
    assert!(!rates.is_empty());
    for r in rates {
        assert_eq!(
            (
                r["rate"].as_f64(),
                r["available"].as_bool(),
                r["quantity"].as_i64(),
                r["closedOnArrival"].as_bool()
            ),
            (Some(0.0), Some(false), Some(0), Some(false)),
            "{r}"
        );
    }
}

fn quantities(rates: &Value) -> Vec<(String, i64)> {
    rates
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                format!(
                    "{}-{:02}-{:02}",
                    r["year"],
                    r["month"].as_i64().unwrap(),
                    r["day"].as_i64().unwrap()
                ),
                r["quantity"].as_i64().unwrap(),
            )
        })
        .collect()
}

async fn bulk_then_read_round_trip(app: TestApp) {
    let s = Setup::new(&app).await;
    let token = &s.p.token;
    let mut body = bulk_body("2030-03-01", "2030-03-03");
    body["rate"] = json!({ "amount": 2500.5, "currency": "THB" });
    body["numberOfUnits"] = json!(4);
    body["minLengthOfStay"] = json!(2);
    body["maxLengthOfStay"] = json!(7);
    body["closedOnArrival"] = json!(true);
    body["extraPaxRateModifier"] =
        json!({ "type": "FIXED", "fixedAmount": { "amount": 300, "currency": "THB" } });
    body["singleOccupancyRateModifier"] = json!({ "type": "PERCENTAGE", "percent": 0.9 });
    let r = app.put(&s.bulk(&s.m1), token, &body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let rate = |day: u32, ttl: &str| {
        json!({
            "hotelIdentifier": s.property, "rateSource": "TRAVELIKO",
            "ratePlanIdentifier": s.plan1, "guestRoomIdentifier": s.room,
            "rate": 2500.5, "currencyCode": "THB", "master": true,
            "closedOnArrival": true, "closedOnDeparture": false,
            "day": day, "month": 3, "year": 2030, "quantity": 4,
            "minLengthOfStay": 2, "maxLengthOfStay": 7,
            "singleOccupancyRateModifier": { "type": "PERCENTAGE", "percent": 0.9 },
            "extraPaxRateModifier": { "type": "FIXED", "fixedAmount": { "amount": 300.0, "currency": "THB" } },
            "ttl": ttl, "available": true
        })
    };
    // Bangkok is UTC+7: 1 March ends at 17:00 UTC.
    let expected = json!([
        rate(1, "2030-03-01T17:00:00Z"),
        rate(2, "2030-03-02T17:00:00Z"),
        rate(3, "2030-03-03T17:00:00Z")
    ]);
    assert_eq!(r.json, expected);
    let range = json!({ "startDate": "2030-03-01", "endDate": "2030-03-03" });
    let read = app.post(&s.dates(&s.m1), token, &range).await;
    assert_eq!((read.status, &read.json), (StatusCode::OK, &expected));
    // The calendar is dense: a date never set is answered as a new one, open and unpriced.
    let wider = json!({ "startDate": "2030-02-27", "endDate": "2030-03-04" });
    let read = app.post(&s.dates(&s.m1), token, &wider).await.json;
    let read = read.as_array().unwrap();
    assert_eq!(read.len(), 6);
    assert_eq!(&read[2..5], expected.as_array().unwrap().as_slice());
    for fresh in [&read[0], &read[1], &read[5]] {
        assert_eq!(
            (
                fresh["rate"].as_f64(),
                fresh["master"].as_bool(),
                fresh["available"].as_bool(),
                fresh["quantity"].as_i64()
            ),
            (Some(0.0), Some(true), Some(false), Some(0)),
            "{fresh}"
        );
    }

    // The second plan of the same room type: no price yet, but the room type's units.
    let r = app
        .put(
            &s.bulk(&s.m2),
            token,
            &bulk_body("2030-03-02", "2030-03-04"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let first = &r.json[0];
    assert_eq!(
        (
            first["rate"].as_f64(),
            first["available"].as_bool(),
            first["quantity"].as_i64(),
            first["minLengthOfStay"].as_i64(),
            first["maxLengthOfStay"].as_i64(),
            first["ratePlanIdentifier"].as_str(),
            first.get("extraPaxRateModifier")
        ),
        (
            Some(0.0),
            Some(false),
            Some(4),
            Some(-1),
            Some(-1),
            Some(s.plan2.as_str()),
            None
        )
    );
    // 4 March has no availability row: 0 rooms.
    assert_eq!(
        quantities(&r.json),
        [
            ("2030-03-02".into(), 4),
            ("2030-03-03".into(), 4),
            ("2030-03-04".into(), 0)
        ]
    );

    // Units set through the second plan are the first plan's too.
    let mut body = bulk_body("2030-03-03", "2030-03-03");
    body["numberOfUnits"] = json!(2);
    body["rate"] = json!({ "amount": 1900, "currency": "THB" });
    app.put(&s.bulk(&s.m2), token, &body).await;
    let read = app.post(&s.dates(&s.m1), token, &range).await.json;
    assert_eq!(
        quantities(&read),
        [
            ("2030-03-01".into(), 4),
            ("2030-03-02".into(), 4),
            ("2030-03-03".into(), 2)
        ]
    );

    // Fields left out keep what is stored; the always-sent ones change.
    let mut body = bulk_body("2030-03-02", "2030-03-02");
    body["master"] = json!(false);
    body["rateSource"] = json!("SITEMINDER");
    let r = app.put(&s.bulk(&s.m1), token, &body).await;
    let day = &r.json[0];
    assert_eq!(
        (
            day["rate"].as_f64(),
            day["master"].as_bool(),
            day["closedOnArrival"].as_bool(),
            day["available"].as_bool(),
            day["minLengthOfStay"].as_i64(),
            day["rateSource"].as_str(),
            day["quantity"].as_i64()
        ),
        (
            Some(2500.5),
            Some(false),
            Some(false),
            Some(false),
            Some(2),
            Some("SITEMINDER"),
            Some(4)
        )
    );
    assert_eq!(
        day["extraPaxRateModifier"],
        expected[0]["extraPaxRateModifier"]
    );
    // -1 clears a limit; a modifier can be replaced alone.
    let mut body = bulk_body("2030-03-01", "2030-03-01");
    body["minLengthOfStay"] = json!(-1);
    body["extraPaxRateModifier"] = json!({ "type": "PERCENTAGE", "percent": 0.2 });
    let day = app.put(&s.bulk(&s.m1), token, &body).await.json[0].clone();
    assert_eq!(
        (
            day["minLengthOfStay"].as_i64(),
            day["maxLengthOfStay"].as_i64()
        ),
        (Some(-1), Some(7))
    );
    assert_eq!(
        day["extraPaxRateModifier"],
        json!({ "type": "PERCENTAGE", "percent": 0.2 })
    );
    assert_eq!(
        day["singleOccupancyRateModifier"],
        expected[0]["singleOccupancyRateModifier"]
    );

    // The whole property: by master rate (as listed), then date.
    let all = s.hotel_rates(&app, "2030-03-01", "2030-03-04").await;
    let order: Vec<(String, String)> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ratePlanIdentifier"].as_str().unwrap().to_string(),
                r["day"].to_string(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = [
        (&s.plan1, 1),
        (&s.plan1, 2),
        (&s.plan1, 3),
        (&s.plan1, 4),
        (&s.plan2, 1),
        (&s.plan2, 2),
        (&s.plan2, 3),
        (&s.plan2, 4),
    ]
    .iter()
    .map(|(p, d)| (p.to_string(), d.to_string()))
    .collect();
    assert_eq!(order, want);
    assert_eq!(all[6]["rate"].as_f64(), Some(1900.0));
    assert_eq!(all[6]["available"].as_bool(), Some(true));

    // A whole year of one master rate, in one request each way.
    let mut body = bulk_body("2032-01-01", "2032-12-31");
    body["rate"] = json!({ "amount": 1234, "currency": "THB" });
    body["numberOfUnits"] = json!(3);
    let r = app.put(&s.bulk(&s.m1), token, &body).await;
    assert_eq!(r.json.as_array().unwrap().len(), 366);
    let year = app
        .post(
            &s.dates(&s.m1),
            token,
            &json!({ "startDate": "2032-01-01", "endDate": "2032-12-31" }),
        )
        .await
        .json;
    assert_eq!(year, r.json);
    assert!(
        year.as_array()
            .unwrap()
            .iter()
            .all(|r| r["quantity"] == 3 && r["available"] == true)
    );
}

async fn bulk_and_read_validation(app: TestApp) {
    let s = Setup::new(&app).await;
    let token = &s.p.token;
    let with = |field: &str, value: Value| {
        let mut body = bulk_body("2030-03-01", "2030-03-03");
        body["rate"] = json!({ "amount": 2500, "currency": "THB" });
        body[field] = value;
        body
    };
    let cases = [
        (with("endDate", json!("2030-02-28")), "/endDate"),
        (with("endDate", json!("2032-03-03")), "/endDate"),
        (
            with("rate", json!({ "amount": 10, "currency": "EUR" })),
            "/rate/currency",
        ),
        (
            with("rate", json!({ "amount": -10, "currency": "THB" })),
            "/rate/amount",
        ),
        (with("numberOfUnits", json!(-1)), "/numberOfUnits"),
        (with("minLengthOfStay", json!(-2)), "/minLengthOfStay"),
        (
            with(
                "extraPaxRateModifier",
                json!({ "type": "PERCENTAGE", "percent": 11 }),
            ),
            "/extraPaxRateModifier/percent",
        ),
        (
            with(
                "extraChildRateModifier",
                json!({ "type": "FIXED", "fixedAmount": { "amount": 5, "currency": "USD" } }),
            ),
            "/extraChildRateModifier/fixedAmount/currency",
        ),
        (with("master", json!("yes")), "/master"),
        (with("startDate", json!("2030-02-30")), "/startDate"),
    ];
    for (body, field) in &cases {
        let r = app.put(&s.bulk(&s.m1), token, body).await;
        assert_eq!(r.invalid_fields(), [*field], "{body}");
    }
    let mut body = with("minLengthOfStay", json!(5));
    body["maxLengthOfStay"] = json!(2);
    assert_eq!(
        app.put(&s.bulk(&s.m1), token, &body).await.invalid_fields(),
        ["/maxLengthOfStay"]
    );
    assert_nothing_set(&s.hotel_rates(&app, "2030-01-01", "2030-12-31").await);

    // Reads: ordered ranges of at most 732 days.
    for (end, field) in [("2030-02-28", "/endDate"), ("2032-03-02", "/endDate")] {
        let range = json!({ "startDate": "2030-03-01", "endDate": end });
        assert_eq!(
            app.post(&s.dates(&s.m1), token, &range)
                .await
                .invalid_fields(),
            [field]
        );
        assert_eq!(
            app.post(&s.hotel_dates(), token, &range)
                .await
                .invalid_fields(),
            [field]
        );
    }
    let longest = json!({ "startDate": "2030-03-01", "endDate": "2032-03-01" });
    assert_eq!(
        app.post(&s.dates(&s.m1), token, &longest).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.post(
            &s.dates(&s.m1),
            token,
            &json!({ "startDate": "2030-03-01" })
        )
        .await
        .invalid_fields(),
        ["/endDate"]
    );

    // Master rates of another property of the same account, or of another account: 404.
    let sibling = app.property(&s.p).await;
    let q = app.persona(&[]).await;
    let range = json!({ "startDate": "2030-03-01", "endDate": "2030-03-03" });
    for (owner, token) in [(sibling, &s.p.token), (s.property, &q.token)] {
        let bulk = format!("{}/master-rate/{}/rate/bulk", base(owner), s.m1);
        app.put(&bulk, token, &with("numberOfUnits", json!(1)))
            .await
            .problem(StatusCode::NOT_FOUND);
        let dates = format!("{}/master-rate/{}/rates/dates", base(owner), s.m1);
        app.post(&dates, token, &range)
            .await
            .problem(StatusCode::NOT_FOUND);
    }
    app.put(
        &s.bulk(&Uuid::new_v4().to_string()),
        token,
        &with("numberOfUnits", json!(1)),
    )
    .await
    .problem(StatusCode::NOT_FOUND);
    assert_nothing_set(&s.hotel_rates(&app, "2030-01-01", "2030-12-31").await);
}

async fn update_rate_list(app: TestApp) {
    let s = Setup::new(&app).await;
    let token = &s.p.token;
    let date = "2030-04-01";
    let items = json!([
        { "key": s.key(&s.plan1, date), "value": { "quantity": 3, "rate": 1800, "currencyCode": "THB", "minLengthOfStay": 2 } },
        { "key": s.key(&s.plan2, date), "value": { "deltaQuantity": 2, "idempotencyKey": "booking-1:CANCELLED", "master": false } }
    ]);
    let r = app.put(&s.update(), token, &items).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(
        r.json[0],
        json!({
            "hotelIdentifier": s.property, "rateSource": "TRAVELIKO",
            "ratePlanIdentifier": s.plan1, "guestRoomIdentifier": s.room,
            "rate": 1800.0, "currencyCode": "THB", "master": true,
            "closedOnArrival": false, "closedOnDeparture": false,
            "day": 1, "month": 4, "year": 2030, "quantity": 5,
            "minLengthOfStay": 2, "maxLengthOfStay": -1,
            "ttl": "2030-04-01T17:00:00Z", "available": true
        })
    );
    assert_eq!(
        (
            r.json[1]["ratePlanIdentifier"].as_str(),
            r.json[1]["quantity"].as_i64(),
            r.json[1]["master"].as_bool(),
            r.json[1]["available"].as_bool()
        ),
        (Some(s.plan2.as_str()), Some(5), Some(false), Some(false))
    );
    assert_eq!(r.json.as_array().unwrap().len(), 2);

    // The same request again: the absolute quantity is set again, the keyed delta is not.
    let r = app.put(&s.update(), token, &items).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(quantities(&r.json), [(date.into(), 3), (date.into(), 3)]);
    // A delta without a key applies every time; one with a new key once.
    let delta = |d: i64, key: Option<&str>| {
        let mut value = json!({ "deltaQuantity": d });
        if let Some(k) = key {
            value["idempotencyKey"] = json!(k);
        }
        json!([{ "key": s.key(&s.plan1, date), "value": value }])
    };
    app.put(&s.update(), token, &delta(1, None)).await;
    let r = app.put(&s.update(), token, &delta(1, None)).await;
    assert_eq!(quantities(&r.json), [(date.into(), 5)]);
    app.put(&s.update(), token, &delta(-4, Some("k2"))).await;
    let r = app.put(&s.update(), token, &delta(-4, Some("k2"))).await;
    assert_eq!(
        (r.status, quantities(&r.json)),
        (StatusCode::OK, vec![(date.into(), 1)])
    );

    // Below zero: refused, and nothing of the request is applied (nor its key used up).
    let items = json!([
        { "key": s.key(&s.plan1, "2030-04-02"), "value": { "rate": 9999, "quantity": 8 } },
        { "key": s.key(&s.plan2, date), "value": { "deltaQuantity": -2, "idempotencyKey": "k3" } }
    ]);
    let r = app.put(&s.update(), token, &items).await;
    r.problem(StatusCode::CONFLICT);
    let rates = s.hotel_rates(&app, date, date).await;
    assert_eq!(quantities(&rates), [(date.into(), 1), (date.into(), 1)]);
    let r = app
        .put(&s.update(), token, &json!([{ "key": s.key(&s.plan2, date), "value": { "deltaQuantity": -1, "idempotencyKey": "k3" } }]))
        .await;
    assert_eq!(quantities(&r.json), [(date.into(), 0)]);

    // Every item is checked; each refusal names its field; nothing is applied.
    let foreign = Setup::new(&app).await;
    let mut wrong_hotel = s.key(&s.plan1, date);
    wrong_hotel["hotelIdentifier"] = json!(foreign.property);
    let mut unknown_room = s.key(&s.plan1, date);
    unknown_room["guestRoomIdentifier"] = json!(foreign.room);
    let items = json!([
        { "key": wrong_hotel, "value": { "quantity": 9 } },
        { "key": unknown_room, "value": { "quantity": 9 } },
        { "key": s.key(&foreign.plan1, date), "value": { "quantity": 9 } },
        { "key": s.key(&s.plan1, date), "value": { "quantity": 9, "deltaQuantity": 1 } },
        { "key": s.key(&s.plan1, date), "value": { "rate": 10, "currencyCode": "EUR" } },
        { "key": s.key(&s.plan1, date), "value": { "quantity": -1 } },
        { "key": s.key(&s.plan1, date), "value": { "extraPaxRateModifier": { "type": "FIXED" } } },
        { "key": s.key(&s.plan2, date), "value": { "quantity": 9, "rate": 1 } }
    ]);
    let r = app.put(&s.update(), token, &items).await;
    assert_eq!(
        r.invalid_fields(),
        [
            "/0/key/hotelIdentifier",
            "/1/key/guestRoomIdentifier",
            "/2/key/ratePlanIdentifier",
            "/3/value/deltaQuantity",
            "/4/value/currencyCode",
            "/5/value/quantity",
            "/6/value/extraPaxRateModifier/fixedAmount"
        ]
    );
    let after = s.hotel_rates(&app, date, date).await;
    assert_eq!(quantities(&after), [(date.into(), 0), (date.into(), 0)]);
    assert_eq!(after[1]["rate"].as_f64(), Some(0.0));
    // Schema refusals name the field too; an empty list is refused (the answer would be an empty
    // list of rates, which the contract does not allow).
    let r = app
        .put(
            &s.update(),
            token,
            &json!([{ "key": s.key(&s.plan1, "2030-13-01"), "value": {} }]),
        )
        .await;
    assert_eq!(r.invalid_fields(), ["/0/key/date"]);
    let r = app.put(&s.update(), token, &json!([])).await;
    assert_eq!(r.invalid_fields(), ["/"]);
    // Another account's token: 404 for the path's property.
    let q = app.persona(&[]).await;
    app.put(&s.update(), &q.token, &json!([]))
        .await
        .problem(StatusCode::NOT_FOUND);
}

on_both_engines!(
    bulk_then_read_round_trip,
    bulk_and_read_validation,
    update_rate_list
);
