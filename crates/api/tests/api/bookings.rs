//! Test bookings and the booking endpoints: the whole foundation slice walked over HTTP, on the
//! `Shop` fixture (also used by the test-availability and concurrency tests).

use axum::http::StatusCode;
use chrono::{Days, NaiveDate};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::cancellation_policies::create;
use crate::fixtures;
use crate::on_both_engines;
use crate::sales_channels::{accepted_channel, owner};
use crate::support::{Persona, TestApp, TestResponse, base};

/// Today at the fixture property (Bangkok) on the test server's clock (it starts at
/// [`crate::support::start_instant`], 10:00 there, and a test runs for far less than 14 hours).
pub fn today() -> NaiveDate {
    crate::support::start_date()
}

pub fn day(offset: u64) -> NaiveDate {
    today() + Days::new(offset)
}

/// A property selling one room type ("Deluxe", 5 rooms) on one rate plan ("Flexible", breakfast,
/// a 50 THB city tax per stay, refundable: free until 2 days before arrival, then 50 %) through
/// one sales channel to a travel agent. Nights from `day(1)` for 20 days cost 2000 THB with
/// `units` rooms for sale.
pub struct Shop {
    pub p: Persona,
    pub property: Uuid,
    pub room: String,
    pub plan: String,
    pub policy: String,
    pub master: String,
    pub agent: Uuid,
    pub channel: String,
}

impl Shop {
    pub async fn new(app: &TestApp, units: u32) -> Shop {
        Shop::with_property(app, units, &fixtures::property()).await
    }

    /// The same shop for a property registered with `body` (e.g. elsewhere on the map).
    pub async fn with_property(app: &TestApp, units: u32, body: &Value) -> Shop {
        let p = app.persona(&[]).await;
        let r = app
            .post(
                &format!("/api/property?leadId={}", Uuid::new_v4()),
                &p.token,
                body,
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
        let property: Uuid = r.json["id"].as_str().unwrap().parse().unwrap();
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
        let plan = create(
            app,
            &format!("{root}/rate-plan"),
            &p.token,
            &fixtures::rate_plan("Flexible", &policy),
        )
        .await;
        let masters = app
            .get(&format!("{root}/master-rate/list"), &p.token)
            .await
            .json;
        let master = masters[0]["id"].as_str().unwrap().to_string();
        let agent = owner(app, "Globetrotter Travel", "TRAVEL_AGENT").await;
        let channel = accepted_channel(app, property, agent).await;
        let shop = Shop {
            p,
            property,
            room,
            plan,
            policy,
            master,
            agent,
            channel,
        };
        shop.rates(
            app,
            day(1),
            day(20),
            json!({ "rate": { "amount": 2000, "currency": "THB" }, "numberOfUnits": units }),
        )
        .await;
        shop
    }

    pub fn root(&self) -> String {
        base(self.property)
    }

    /// Sets daily rates of the master rate from `start` to `end` (inclusive).
    pub async fn rates(&self, app: &TestApp, start: NaiveDate, end: NaiveDate, extra: Value) {
        let mut body = json!({ "startDate": start, "endDate": end, "rateSource": "TRAVELIKO",
                               "master": true, "closedOnArrival": false, "closedOnDeparture": false });
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let r = app
            .put(
                &format!("{}/master-rate/{}/rate/bulk", self.root(), self.master),
                &self.p.token,
                &body,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    }

    /// Rooms left per night from `start` to `end` (inclusive).
    pub async fn units(&self, app: &TestApp, start: NaiveDate, end: NaiveDate) -> Vec<i64> {
        let r = app
            .post(
                &format!("{}/master-rate/{}/rates/dates", self.root(), self.master),
                &self.p.token,
                &json!({ "startDate": start, "endDate": end }),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.json);
        r.json
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["quantity"].as_i64().unwrap())
            .collect()
    }

    pub fn query(&self, start: NaiveDate, end: NaiveDate, adults: u32) -> Value {
        json!({
            "channel": { "propertyIdentifier": self.property.to_string(), "subType": "TRAVEL_AGENT",
                         "ownerIdentifier": self.agent.to_string(), "name": "Globetrotter Travel" },
            "stayStartDate": start, "stayEndDate": end,
            "roomConfigurations": [{ "adults": adults, "quantity": 1 }],
            "currency": "THB"
        })
    }

    pub async fn room_list(&self, app: &TestApp, query: &Value) -> TestResponse {
        app.post(
            &format!("{}/sandbox/room/list", self.root()),
            &self.p.token,
            query,
        )
        .await
    }

    /// The first offer of the room list for `query`.
    pub async fn offer(&self, app: &TestApp, query: &Value) -> Value {
        let r = self.room_list(app, query).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.json);
        r.json[0]["accessibleAvailability"][0]["priceConfigurations"][0].clone()
    }

    pub fn booking_request(
        &self,
        query: &Value,
        offer: &Value,
        guest: (&str, &str, &str),
    ) -> Value {
        json!({
            "query": query, "room": offer,
            "notification": { "booker": { "firstName": guest.0, "lastName": guest.1, "email": guest.2 } }
        })
    }

    pub async fn book(&self, app: &TestApp, body: &Value) -> TestResponse {
        app.post(
            &format!("{}/sandbox/booking", self.root()),
            &self.p.token,
            body,
        )
        .await
    }
}

pub fn reasons(entries: &Value) -> Vec<String> {
    entries
        .as_array()
        .map(|a| {
            a.iter()
                .flat_map(|e| {
                    e["reasons"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|r| r.as_str().unwrap().to_string())
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The whole slice: offered, booked, rooms taken, listed, cancelled with the policy's penalty,
/// rooms given back, cancelled again.
async fn book_list_and_cancel(app: TestApp) {
    let s = Shop::new(&app, 3).await;
    let root = s.root();
    let token = &s.p.token;
    // The channel to test with.
    let channels = app
        .get(&format!("{root}/sandbox/channel/list"), token)
        .await;
    assert_eq!(
        channels.json,
        json!([{ "propertyIdentifier": s.property.to_string(), "subType": "TRAVEL_AGENT",
                 "ownerIdentifier": s.agent.to_string(), "name": "Globetrotter Travel" }])
    );
    // Arrival tomorrow: inside the policy's 2-day window, so cancelling costs 50 %.
    let (a, d) = (day(1), day(3));
    let query = s.query(a, d, 2);
    let offer = s.offer(&app, &query).await;
    assert_eq!(
        offer["sourceTotal"],
        json!({ "amount": 4050.0, "currency": "THB" })
    );
    // A stay the calendar blocks is not offered, and cannot be booked.
    s.rates(&app, day(14), day(14), json!({ "closedOnArrival": true }))
        .await;
    let blocked = s.query(day(14), day(15), 2);
    let r = s.room_list(&app, &blocked).await;
    assert_eq!(
        reasons(&r.json[0]["inaccessibleAvailability"]),
        [format!("closed to arrival on {}", day(14))]
    );
    let mut stale = s.booking_request(&blocked, &offer, ("Ann", "Lee", "ann.lee@example.com"));
    stale["room"]["startDate"] = json!(day(14));
    stale["room"]["endDate"] = json!(day(15));
    s.book(&app, &stale).await.problem(StatusCode::CONFLICT);
    let request = s.booking_request(&query, &offer, ("Ann", "Lee", "ann.lee@example.com"));
    let r = s.book(&app, &request).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let booking = r.json.clone();
    let id = booking["id"].as_str().unwrap().to_string();
    let code = booking["bookingCode"].as_str().unwrap().to_string();
    assert!(code.starts_with("WB-") && code.len() == 12, "{code}");
    assert_eq!(booking["groupIdentifier"], id.as_str());
    assert_eq!(booking["creation"], "TEST");
    assert_eq!(booking["bookingStatus"], "TEST_PAYMENT_SUCCEEDED");
    assert_eq!(
        (
            booking["cancellable"].as_bool(),
            booking["cancelled"].as_bool()
        ),
        (Some(true), Some(false))
    );
    assert_eq!(r.headers["etag"], "\"1\"");
    assert_eq!(
        booking["customization"],
        json!({ "identifier": s.channel, "name": "Globetrotter Travel", "userIdentifier": s.p.client_id,
                "ownerIdentifier": s.agent, "ownerName": "Globetrotter Travel", "subType": "TRAVEL_AGENT" })
    );
    assert_eq!(
        booking["user"],
        json!({ "firstName": "Ann", "lastName": "Lee", "email": "ann.lee@example.com" })
    );
    assert_eq!(booking["hotel"]["hotelIdentifier"], s.property.to_string());
    assert_eq!(booking["hotel"]["name"], "Test Hotel Bangkok");
    assert_eq!(booking["hotel"]["starRating"], 4);
    assert!(
        booking["hotel"]["uniqueId"]
            .as_str()
            .unwrap()
            .starts_with("WS-")
    );
    assert!(
        booking["hotelImageUrl"]
            .as_str()
            .unwrap()
            .starts_with(&format!(
                "http://localhost/media/property/{}/cover.svg?sig=",
                s.property
            )),
        "{}",
        booking["hotelImageUrl"]
    );
    assert_eq!(
        booking["userSession"],
        json!({ "itinerary": { "startDate": a, "endDate": d, "nights": 2, "items": [{ "adults": 2 }],
                               "rooms": 1, "guests": 2, "children": 0 },
                "currency": "THB" })
    );
    let stay = &booking["roomStay"];
    assert_eq!(stay["roomRateIdentifier"], s.master.as_str());
    assert_eq!(stay["roomRateInternalName"], "Deluxe - Flexible");
    assert_eq!(stay["room"]["identifier"], s.room.as_str());
    assert_eq!(
        (stay["startDate"].as_str(), stay["endDate"].as_str()),
        (Some(a.to_string().as_str()), Some(d.to_string().as_str()))
    );
    assert_eq!(
        (
            stay["adults"].as_i64(),
            stay["children"].as_i64(),
            stay["quantity"].as_i64(),
            stay["roomNights"].as_i64()
        ),
        (Some(2), Some(0), Some(1), Some(2))
    );
    assert_eq!(
        stay["sourceTotal"],
        json!({ "amount": 4050.0, "currency": "THB" })
    );
    assert_eq!(
        stay["price"]["sourceTotal"],
        json!({ "amount": 4000.0, "currency": "THB" })
    );
    assert_eq!(stay["price"]["list"].as_array().unwrap().len(), 2);
    assert_eq!(
        stay["price"]["list"][1]["date"],
        (a + Days::new(1)).to_string()
    );
    assert_eq!(
        stay["price"]["list"][1]["sourceRate"],
        json!({ "amount": 2000.0, "currency": "THB" })
    );
    assert_eq!(
        stay["activeCancellationPolicy"],
        offer["activeCancellationPolicy"]
    );
    assert_eq!(
        stay["guestUser"],
        json!({ "firstName": "Ann", "lastName": "Lee", "email": "ann.lee@example.com" })
    );
    assert_eq!(booking["financialBreakdown"]["sourceAmount"], 4050.0);
    assert_eq!(booking["financialBreakdown"]["netSourceAmount"], 4050.0);
    assert_eq!(booking["hasBreakfast"], true);

    // The rooms are taken: 3 → 2 on both nights, the departure night untouched.
    assert_eq!(s.units(&app, a, d).await, [2, 2, 3]);

    // Show: the same booking, in the Booking shape (nights in the reporting list).
    let shown = app.get(&format!("{root}/booking/{id}"), token).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.json);
    assert_eq!(shown.json["bookingCode"], code.as_str());
    assert!(shown.json["roomStay"]["price"].get("list").is_none());
    assert_eq!(
        shown.json["reportingDailyRateList"],
        json!([{ "date": a, "baseAmount": 2000.0, "grossAmount": 2000.0, "currency": "THB" },
               { "date": a + Days::new(1), "baseAmount": 2000.0, "grossAmount": 2000.0, "currency": "THB" }])
    );
    let mut expected = booking.clone();
    expected["roomStay"]["price"]
        .as_object_mut()
        .unwrap()
        .remove("list");
    assert_eq!(shown.json, expected);

    // Two more bookings for the list (different guests).
    let later = s.query(day(5), day(6), 2);
    let offer2 = s.offer(&app, &later).await;
    let second = s
        .book(
            &app,
            &s.booking_request(&later, &offer2, ("Bob", "Stone", "bob@example.com")),
        )
        .await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.json);
    let third = s
        .book(
            &app,
            &s.booking_request(&later, &offer2, ("Cleo", "Lee", "cleo@example.org")),
        )
        .await;
    assert_eq!(third.status, StatusCode::CREATED, "{}", third.json);
    let codes = |r: &TestResponse| -> Vec<String> {
        r.json["content"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["bookingCode"].as_str().unwrap().to_string())
            .collect()
    };
    let all = app.get(&format!("{root}/booking/list"), token).await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.json);
    let (c2, c3) = (
        second.json["bookingCode"].as_str().unwrap(),
        third.json["bookingCode"].as_str().unwrap(),
    );
    assert_eq!(codes(&all), [c3, c2, code.as_str()]);
    assert_eq!(
        (
            &all.json["first"],
            &all.json["last"],
            &all.json["number"],
            &all.json["numberOfElements"],
            &all.json["size"],
            &all.json["totalElements"],
            &all.json["totalPages"]
        ),
        (
            &json!(true),
            &json!(true),
            &json!(0),
            &json!(3),
            &json!(20),
            &json!(3),
            &json!(1)
        )
    );
    let page = app
        .get(
            &format!("{root}/booking/list?pageNumber=1&maxResults=2"),
            token,
        )
        .await;
    assert_eq!(codes(&page), [code.as_str()]);
    assert_eq!(
        (
            &page.json["first"],
            &page.json["last"],
            &page.json["number"],
            &page.json["numberOfElements"],
            &page.json["size"],
            &page.json["totalElements"],
            &page.json["totalPages"]
        ),
        (
            &json!(false),
            &json!(true),
            &json!(1),
            &json!(1),
            &json!(2),
            &json!(3),
            &json!(2)
        )
    );
    let search = |q: &str| {
        let url = format!("{root}/booking/list?search={q}");
        let app = &app;
        async move { codes(&app.get(&url, token).await) }
    };
    assert_eq!(search("lee").await, [c3, code.as_str()]);
    assert_eq!(search("ANN%20LEE").await, [code.as_str()]);
    assert_eq!(search("example.org").await, [c3]);
    assert_eq!(search(&code.to_lowercase()).await, [code.as_str()]);
    assert_eq!(search("nobody").await, Vec::<String>::new());
    assert_eq!(search("%25").await, Vec::<String>::new());

    // Cancellable; cancel with the policy's penalty; the nights come back.
    let cancellable = app
        .get(&format!("{root}/booking/{id}/cancellable"), token)
        .await;
    assert_eq!(
        (cancellable.status, &cancellable.json),
        (
            StatusCode::OK,
            &json!({ "hotelIdentifier": s.property, "bookingIdentifier": id, "cancellable": true })
        )
    );
    let cancel = json!({ "cancellationType": "CANCELLATION", "reason": "Guest changed plans" });
    let r = app
        .patch(&format!("{root}/booking/{id}/cancel"), token, &cancel)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let cancelled = r.json.clone();
    assert_eq!(cancelled["bookingStatus"], "CANCELLED");
    assert_eq!(
        (
            cancelled["cancellable"].as_bool(),
            cancelled["cancelled"].as_bool()
        ),
        (Some(false), Some(true))
    );
    assert_eq!(cancelled["version"], 2);
    assert_eq!(cancelled["cancellation"]["cancellerType"], "HOTEL");
    assert_eq!(
        cancelled["cancellation"]["cancellationType"],
        "CANCELLATION"
    );
    assert_eq!(
        cancelled["cancellation"]["cancelReason"],
        "Guest changed plans"
    );
    assert_eq!(
        cancelled["cancellation"]["cancellerUserIdentifier"],
        s.p.client_id.to_string()
    );
    // 50 % of 4050, kept; the rest given back.
    assert_eq!(
        cancelled["metadata"]["cancellationPenalty"],
        json!({ "amount": 2025.0, "currency": "THB" })
    );
    assert_eq!(cancelled["financialBreakdown"]["netSourceAmount"], 2025.0);
    assert_eq!(
        cancelled["financialBreakdown"]["sourceAmountRefundModifier"],
        2025.0
    );
    assert_eq!(cancelled["statusHistory"][1]["toStatus"], "CANCELLED");
    assert_eq!(s.units(&app, a, d).await, [3, 3, 3]);
    let r = app
        .get(&format!("{root}/booking/{id}/cancellable"), token)
        .await;
    assert_eq!(r.json["cancellable"], false);

    // Again: the same answer, nothing changes (no second release).
    let again = app
        .patch(
            &format!("{root}/booking/{id}/cancel"),
            token,
            &json!({ "cancellationType": "DUPLICATE", "reason": "again" }),
        )
        .await;
    assert_eq!((again.status, &again.json), (StatusCode::OK, &cancelled));
    assert_eq!(s.units(&app, a, d).await, [3, 3, 3]);

    // States: ACTIVE and a status.
    let state = |q: &str| {
        let url = format!("{root}/booking/list?state={q}");
        let app = &app;
        async move { codes(&app.get(&url, token).await) }
    };
    assert_eq!(state("CANCELLED").await, [code.as_str()]);
    assert_eq!(state("ACTIVE").await, [c3, c2]);
    assert_eq!(state("TEST_PAYMENT_SUCCEEDED").await, [c3, c2]);
    assert_eq!(state("FULLY_REFUNDED").await, Vec::<String>::new());

    // Far from arrival the same policy is free.
    let far = s.query(day(10), day(11), 2);
    let offer = s.offer(&app, &far).await;
    let r = s
        .book(
            &app,
            &s.booking_request(&far, &offer, ("Dan", "Free", "dan@example.com")),
        )
        .await;
    let free_id = r.json["id"].as_str().unwrap().to_string();
    let r = app
        .patch(&format!("{root}/booking/{free_id}/cancel"), token, &cancel)
        .await;
    assert_eq!(
        r.json["metadata"]["cancellationPenalty"],
        json!({ "amount": 0.0, "currency": "THB" })
    );
    assert_eq!(r.json["financialBreakdown"]["netSourceAmount"], 0.0);
}

async fn booking_refusals(app: TestApp) {
    let s = Shop::new(&app, 2).await;
    let root = s.root();
    let token = &s.p.token;
    let (a, d) = (day(4), day(6));
    let query = s.query(a, d, 2);
    let offer = s.offer(&app, &query).await;
    let request = s.booking_request(&query, &offer, ("Ann", "Lee", "ann@example.com"));
    let list = format!("{root}/booking/list");
    let nothing_booked = async |r: TestResponse| -> TestResponse {
        assert_eq!(
            app.get(&list, token).await.json["totalElements"],
            0,
            "{}",
            r.json
        );
        assert_eq!(s.units(&app, a, d).await, [2, 2, 2]);
        r
    };
    let refused = async |change: fn(&mut Value)| -> TestResponse {
        let mut body = request.clone();
        change(&mut body);
        s.book(&app, &body).await
    };
    // Bad input names the field.
    for (change, field) in [
        (
            (|b: &mut Value| b["query"]["currency"] = json!("USD")) as fn(&mut Value),
            "/query/currency",
        ),
        (
            |b| b["query"]["channel"]["ownerIdentifier"] = json!(Uuid::new_v4().to_string()),
            "/query/channel/ownerIdentifier",
        ),
        (
            |b| b["room"]["roomRateIdentifier"] = json!(Uuid::new_v4().to_string()),
            "/room/roomRateIdentifier",
        ),
        (
            |b| b["room"]["roomRateIdentifier"] = json!("deluxe"),
            "/room/roomRateIdentifier",
        ),
        (
            |b| b["room"]["channelInventoryIdentifier"] = json!(Uuid::new_v4().to_string()),
            "/room/channelInventoryIdentifier",
        ),
        (
            |b| b["room"]["startDate"] = json!(day(5)),
            "/room/startDate",
        ),
        (
            |b| {
                b["notification"].as_object_mut().unwrap().remove("booker");
            },
            "/notification/booker",
        ),
        (
            |b| b["notification"]["booker"]["email"] = json!("not an email"),
            "/notification/booker/email",
        ),
        (|b| b["quantity"] = json!(0), "/quantity"),
        (
            |b| b["query"]["bookingDate"] = json!(day(2)),
            "/query/bookingDate",
        ),
    ] {
        let r = nothing_booked(refused(change).await).await;
        assert_eq!(r.invalid_fields(), [field]);
    }
    // Another property's master rate is no master rate here.
    let other = Shop::new(&app, 1).await;
    let mut body = request.clone();
    body["room"]["roomRateIdentifier"] = json!(other.master);
    let r = nothing_booked(s.book(&app, &body).await).await;
    assert_eq!(r.invalid_fields(), ["/room/roomRateIdentifier"]);
    // The price changed since the offer: 409, quote again.
    let r =
        nothing_booked(refused(|b| b["room"]["sourceTotal"]["amount"] = json!(1.0)).await).await;
    let detail = r.problem(StatusCode::CONFLICT)["detail"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        detail.contains("price changed") && detail.contains("4050"),
        "{detail}"
    );
    let r = nothing_booked(
        refused(|b| b["room"]["price"]["sourceTotal"]["amount"] = json!(3999)).await,
    )
    .await;
    r.problem(StatusCode::CONFLICT);
    // A stay the channel is not offered: 409 with the reasons.
    s.rates(&app, a, a, json!({ "closedOnArrival": true }))
        .await;
    let r = nothing_booked(s.book(&app, &request).await).await;
    let detail = r.problem(StatusCode::CONFLICT)["detail"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        detail.contains(&format!("closed to arrival on {a}")),
        "{detail}"
    );
    s.rates(&app, a, a, json!({ "closedOnArrival": false }))
        .await;
    // More rooms than are left.
    let r = nothing_booked(refused(|b| b["quantity"] = json!(3)).await).await;
    let detail = r.problem(StatusCode::CONFLICT)["detail"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(detail.contains("only 2 rooms left"), "{detail}");
    // Two rooms: the listed offer's price per room still holds.
    let r = refused(|b| b["quantity"] = json!(2)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.json["roomStay"]["sourceTotal"]["amount"], 8100.0);
    assert_eq!(r.json["roomStay"]["quantity"], 2);
    assert_eq!(s.units(&app, a, d).await, [0, 0, 2]);

    // Missing and foreign bookings are 404 on every booking endpoint.
    let id = r.json["id"].as_str().unwrap();
    let cancel = json!({ "cancellationType": "CANCELLATION", "reason": "x" });
    for missing in [Uuid::new_v4().to_string(), "nope".into()] {
        app.get(&format!("{root}/booking/{missing}"), token)
            .await
            .problem(StatusCode::NOT_FOUND);
        app.get(&format!("{root}/booking/{missing}/cancellable"), token)
            .await
            .problem(StatusCode::NOT_FOUND);
        app.patch(&format!("{root}/booking/{missing}/cancel"), token, &cancel)
            .await
            .problem(StatusCode::NOT_FOUND);
    }
    // The booking through another property of the same account, and through another account.
    let sibling = app.property(&s.p).await;
    app.get(&format!("{}/booking/{id}", base(sibling)), token)
        .await
        .problem(StatusCode::NOT_FOUND);
    app.patch(
        &format!("{}/booking/{id}/cancel", base(sibling)),
        token,
        &cancel,
    )
    .await
    .problem(StatusCode::NOT_FOUND);
    app.get(&format!("{root}/booking/{id}"), &other.p.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    // `cancellable` too: through this property with the other account's token, and through the
    // other account's own property.
    for property_root in [root.clone(), other.root()] {
        app.get(
            &format!("{property_root}/booking/{id}/cancellable"),
            &other.p.token,
        )
        .await
        .problem(StatusCode::NOT_FOUND);
    }
    app.get(
        &format!("{}/booking/{id}/cancellable", base(sibling)),
        token,
    )
    .await
    .problem(StatusCode::NOT_FOUND);
    app.get(&format!("{root}/booking/list"), &other.p.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    app.patch(
        &format!("{root}/booking/{id}/cancel"),
        &other.p.token,
        &cancel,
    )
    .await
    .problem(StatusCode::NOT_FOUND);
    // Both rooms of those nights are sold (the 2-room booking above): ours to try, and refused
    // as a sell-out; another account cannot even reach the property.
    let r = s.book(&app, &request).await;
    let detail = r.problem(StatusCode::CONFLICT)["detail"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        detail,
        format!(
            "the stay is not offered: only 0 rooms left on {a}, requested 1; \
             only 0 rooms left on {}, requested 1",
            a + Days::new(1)
        )
    );
    assert_eq!(s.units(&app, a, d).await, [0, 0, 2]);
    let r = app
        .post(&format!("{root}/sandbox/booking"), &other.p.token, &request)
        .await;
    r.problem(StatusCode::NOT_FOUND);

    // List parameters: bad ones name themselves.
    for (q, field) in [
        ("pageNumber=-1", "pageNumber"),
        ("pageNumber=x", "pageNumber"),
        ("maxResults=0", "maxResults"),
        ("maxResults=101", "maxResults"),
        ("state=OPEN", "state"),
    ] {
        let r = app.get(&format!("{list}?{q}"), token).await;
        assert_eq!(r.invalid_fields(), [field], "{q}");
    }
    // Cancel: a bad body changes nothing.
    let r = app
        .patch(
            &format!("{root}/booking/{id}/cancel"),
            token,
            &json!({ "cancellationType": "OOPS", "reason": "x" }),
        )
        .await;
    assert_eq!(r.invalid_fields(), ["/cancellationType"]);
    let r = app
        .patch(
            &format!("{root}/booking/{id}/cancel"),
            token,
            &json!({ "cancellationType": "CANCELLATION", "reason": "  " }),
        )
        .await;
    assert_eq!(r.invalid_fields(), ["/reason"]);
    let shown = app.get(&format!("{root}/booking/{id}"), token).await;
    assert_eq!(shown.json["bookingStatus"], "TEST_PAYMENT_SUCCEEDED");
}

/// The policy in force is the rate plan's exception covering the arrival, and the booking keeps it
/// even when the policy changes afterwards.
async fn policy_exception_snapshot(app: TestApp) {
    let s = Shop::new(&app, 3).await;
    let root = s.root();
    let token = &s.p.token;
    let strict = create(
        &app,
        &format!("{root}/cancellation-policy"),
        token,
        &fixtures::non_refundable_policy(),
    )
    .await;
    let mut plan = fixtures::rate_plan("Flexible", &s.policy);
    plan["cancellationPolicyExceptions"] = json!({ "list": [
        { "cancellationPolicyIdentifier": strict, "startDate": day(10), "endDate": day(12) }
    ] });
    let r = app
        .put(&format!("{root}/rate-plan/{}", s.plan), token, &plan)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);

    // Arriving inside the exception: non-refundable, 10 % until 7 days before arrival.
    let query = s.query(day(10), day(11), 2);
    let offer = s.offer(&app, &query).await;
    assert_eq!(
        offer["activeCancellationPolicy"]["identifier"],
        strict.as_str()
    );
    assert_eq!(
        offer["activeCancellationPolicy"]["policyCode"],
        "NR-10%/7D/100%"
    );
    // Outside it: the plan's own policy.
    let outside = s.offer(&app, &s.query(day(13), day(14), 2)).await;
    assert_eq!(
        outside["activeCancellationPolicy"]["identifier"],
        s.policy.as_str()
    );

    let r = s
        .book(
            &app,
            &s.booking_request(&query, &offer, ("Eve", "Strict", "eve@example.com")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(
        r.json["roomStay"]["activeCancellationPolicy"]["identifier"],
        strict.as_str()
    );
    let id = r.json["id"].as_str().unwrap().to_string();

    // The policy becomes free to cancel; the booking keeps the terms it was sold with.
    let r = app
        .put(
            &format!("{root}/cancellation-policy/{strict}"),
            token,
            &json!({ "refundable": true }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let r = app
        .patch(
            &format!("{root}/booking/{id}/cancel"),
            token,
            &json!({ "cancellationType": "CANCELLATION", "reason": "Sick" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    // 10 % of 2050 (one night and the city tax).
    assert_eq!(
        r.json["metadata"]["cancellationPenalty"],
        json!({ "amount": 205.0, "currency": "THB" })
    );
    assert_eq!(
        r.json["roomStay"]["activeCancellationPolicy"]["policyCode"],
        "NR-10%/7D/100%"
    );
}

/// The booking's `hotelImageUrl` shows the property's cover card to anyone holding it; the
/// same path without its signature, or with another property's, is 404 like a missing property.
async fn cover_image(app: TestApp) {
    let s = Shop::new(&app, 5).await;
    let other = Shop::new(&app, 5).await;
    let url_of = |booking: &Value| {
        booking["hotelImageUrl"]
            .as_str()
            .unwrap()
            .strip_prefix("http://localhost")
            .unwrap()
            .to_string()
    };
    let query = s.query(day(1), day(2), 2);
    let offer = s.offer(&app, &query).await;
    let booked = s
        .book(
            &app,
            &s.booking_request(&query, &offer, ("Ann", "Lee", "ann@example.com")),
        )
        .await;
    assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.json);
    let url = url_of(&booked.json);

    let r = app.call(axum::http::Method::GET, &url, None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.content_type(), "image/svg+xml");
    let svg = String::from_utf8(r.bytes.clone()).unwrap();
    assert!(
        svg.starts_with("<svg") && svg.contains("Test Hotel Bangkok"),
        "{svg}"
    );

    let (path, sig) = url.split_once("?sig=").unwrap();
    assert_eq!(path, format!("/media/property/{}/cover.svg", s.property));
    let other_query = other.query(day(1), day(2), 2);
    let other_offer = other.offer(&app, &other_query).await;
    let other_booked = other
        .book(
            &app,
            &other.booking_request(&other_query, &other_offer, ("Bo", "Li", "bo@example.com")),
        )
        .await;
    let (_, other_sig) = url_of(&other_booked.json)
        .split_once("?sig=")
        .map(|(p, s)| (p.to_string(), s.to_string()))
        .unwrap();
    // One character of the signature itself (after `kid.`) changed.
    let (kid, signature) = sig.split_once('.').unwrap();
    let flipped = if signature.starts_with('A') { 'B' } else { 'A' };
    let tampered = format!("{kid}.{flipped}{}", &signature[1..]);
    for unsigned in [
        path.to_string(),
        format!("{path}?sig="),
        format!("{path}?sig={other_sig}"),
        format!("{path}?sig={tampered}"),
        format!("/media/property/{}/cover.svg", Uuid::new_v4()),
        format!("/media/property/{}/cover.svg?sig={sig}", other.property),
        "/media/property/x/cover.svg".into(),
    ] {
        let r = app
            .call(axum::http::Method::GET, &unsigned, None, None)
            .await;
        r.problem(StatusCode::NOT_FOUND);
        assert!(
            !String::from_utf8_lossy(&r.bytes).contains("Test Hotel"),
            "{unsigned}"
        );
    }
}

on_both_engines!(
    book_list_and_cancel,
    booking_refusals,
    policy_exception_snapshot,
    cover_image
);
