//! Test availability (`sandbox/room/list`): offers with their prices, and every reason a stay is
//! not offered.

use axum::http::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::bookings::{Shop, day, reasons};
use crate::on_both_engines;
use crate::support::TestApp;

async fn room_list_offers_and_reasons(app: TestApp) {
    let s = Shop::new(&app, 3).await;
    let (a, d) = (day(10), day(12));
    let r = s.room_list(&app, &s.query(a, d, 2)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    // Where the time went: reading the property's rates, then pricing (W3C Server-Timing).
    let timing = r.headers["server-timing"].to_str().unwrap();
    assert!(
        timing.starts_with("read;dur=") && timing.contains(", price;dur="),
        "{timing}"
    );
    let rooms = r.json.as_array().unwrap();
    assert_eq!(rooms.len(), 1);
    let room = &rooms[0];
    assert_eq!(
        (room["identifier"].as_str(), room["roomName"].as_str()),
        (Some(s.room.as_str()), Some("Deluxe"))
    );
    assert_eq!(
        room["accessibleRatePlans"],
        json!([{ "identifier": s.plan, "name": "Flexible", "map": { "ratePlanIdentifier": s.plan } }])
    );
    assert!(
        room.get("inaccessibleRatePlans").is_none()
            && room.get("inaccessibleAvailability").is_none()
    );
    let availability = &room["accessibleAvailability"][0];
    assert_eq!(availability["available"], true);
    assert_eq!(availability["room"]["identifier"], s.room.as_str());
    assert_eq!(availability["room"]["name"], "Deluxe");
    let offers = availability["priceConfigurations"].as_array().unwrap();
    assert_eq!(offers.len(), 1);
    let offer = &offers[0];
    assert_eq!(availability["bestPrice"], *offer);
    let thb = |amount: f64| json!({ "amount": amount, "currency": "THB" });
    // Two nights at 2000 for two adults (included), and the 50 THB city tax per stay.
    assert_eq!(offer["sourceTotal"], thb(4050.0));
    assert_eq!(offer["internalTotal"], thb(4050.0));
    assert_eq!(offer["userSpecifiedCurrencyTotal"], thb(4050.0));
    assert_eq!(offer["channelInventoryIdentifier"], s.channel.as_str());
    assert_eq!(offer["roomRateIdentifier"], s.master.as_str());
    assert_eq!(offer["roomRateInternalName"], "Deluxe - Flexible");
    assert_eq!(
        (offer["startDate"].as_str(), offer["endDate"].as_str()),
        (Some(a.to_string().as_str()), Some(d.to_string().as_str()))
    );
    assert_eq!(
        (
            offer["adults"].as_i64(),
            offer["children"].as_i64(),
            offer["roomNights"].as_i64()
        ),
        (Some(2), Some(0), Some(2))
    );
    assert_eq!(
        (
            offer["commissionable"].as_bool(),
            offer["commission"].as_f64(),
            offer["direct"].as_bool()
        ),
        (Some(false), Some(0.0), Some(false))
    );
    assert_eq!(
        offer["configuration"],
        json!({ "adults": 2, "quantity": 1 })
    );
    assert_eq!(offer["ratePlan"]["identifier"], s.plan.as_str());
    assert_eq!(offer["ratePlan"]["breakfast"], true);
    let policy = &offer["activeCancellationPolicy"];
    assert_eq!(policy["identifier"], s.policy.as_str());
    assert_eq!(
        policy["advanceCancellationFreeOfCharge"],
        "TWO_DAYS_BEFORE_ARRIVAL"
    );
    assert_eq!(policy["policyCode"], "FREE-2D/50%/NS-100%");
    let price = &offer["price"];
    assert_eq!(price["sourceTotal"], thb(4000.0));
    assert_eq!(price["sourceBaseTotal"], thb(4000.0));
    assert_eq!(price["sourceAveragePricePerNight"], thb(2000.0));
    assert_eq!(price["quantity"], 1);
    assert_eq!(price["sourceToUserCurrencyQuote"]["exchangeRate"], 1.0);
    assert_eq!(price["sourceToUserCurrencyQuote"]["source"], "THB");
    let nights = price["list"].as_array().unwrap();
    assert_eq!(nights.len(), 2);
    assert_eq!(nights[0]["date"], a.to_string());
    assert_eq!(nights[0]["sourceTotal"], thb(2000.0));
    assert_eq!(nights[0]["rate"]["quantity"], 3);
    assert_eq!(nights[0]["rate"]["guestRoomIdentifier"], s.room.as_str());
    assert_eq!(
        (
            nights[0]["isStartDate"].as_bool(),
            nights[1]["isLastNight"].as_bool()
        ),
        (Some(true), Some(true))
    );
    let fees = &offer["extraCharges"];
    assert_eq!(fees["sourceTotal"], thb(50.0));
    assert_eq!(fees["items"][0]["ratePlanLevelFee"]["type"], "PER_STAY");

    // One adult: the plan's single-occupancy modifier takes 80 % off each night.
    let offer = s.offer(&app, &s.query(a, d, 1)).await;
    assert_eq!(offer["sourceTotal"], thb(850.0));
    assert_eq!(
        offer["price"]["list"][0]["sourceSingleOccupantModifier"],
        -1600.0
    );

    // Blocked stays, each with its reason: closed to arrival, a daily minimum stay, no rooms.
    s.rates(&app, day(3), day(3), json!({ "closedOnArrival": true }))
        .await;
    s.rates(&app, day(5), day(5), json!({ "minLengthOfStay": 3 }))
        .await;
    s.rates(&app, day(8), day(8), json!({ "numberOfUnits": 0 }))
        .await;
    let blocked = |start: u64, end: u64| {
        let query = s.query(day(start), day(end), 2);
        let app = &app;
        let s = &s;
        async move {
            let r = s.room_list(app, &query).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.json);
            let room = &r.json[0];
            assert_eq!(room["accessibleAvailability"][0]["available"], false);
            assert!(
                room["accessibleAvailability"][0]
                    .get("priceConfigurations")
                    .is_none()
            );
            let entry = &room["inaccessibleAvailability"][0];
            assert_eq!(entry["identifier"], s.master.as_str());
            assert_eq!(entry["name"], "Deluxe - Flexible");
            (
                reasons(&room["inaccessibleAvailability"]),
                entry["map"]["codes"].as_str().unwrap().to_string(),
            )
        }
    };
    assert_eq!(
        blocked(3, 5).await,
        (
            vec![format!("closed to arrival on {}", day(3))],
            "CLOSED_TO_ARRIVAL".into()
        )
    );
    assert_eq!(
        blocked(5, 7).await,
        (
            vec![format!(
                "minimum stay 3 nights from {}, requested 2",
                day(5)
            )],
            "MIN_LENGTH_OF_STAY".into()
        )
    );
    assert_eq!(
        blocked(7, 9).await,
        (
            vec![format!("only 0 rooms left on {}, requested 1", day(8))],
            "NOT_ENOUGH_UNITS".into()
        )
    );
    // A rule of the rate plan (at most 30 nights) lands under the rate plan.
    let r = s.room_list(&app, &s.query(day(1), day(40), 2)).await;
    let room = &r.json[0];
    assert_eq!(
        room["inaccessibleRatePlans"][0]["identifier"],
        s.plan.as_str()
    );
    assert_eq!(
        reasons(&room["inaccessibleRatePlans"]),
        ["rate plan maximum stay 30 nights, requested 39"]
    );
    assert!(
        reasons(&room["inaccessibleAvailability"])
            .contains(&format!("no rate set for {}", day(21)))
    );
    // Too many guests for the room: availability, every configuration quoted.
    let mut query = s.query(a, d, 2);
    query["roomConfigurations"] = json!([{ "adults": 2 }, { "adults": 4 }]);
    let r = s.room_list(&app, &query).await;
    let room = &r.json[0];
    assert_eq!(
        room["accessibleAvailability"][0]["priceConfigurations"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(
        reasons(&room["inaccessibleAvailability"])
            .contains(&"room takes at most 3 adults, requested 4".to_string())
    );
    // A booking date after the arrival (the day after it) leaves the arrival in the past of
    // the booking: not offered. On the arrival day itself it still is.
    let mut query = s.query(a, d, 2);
    query["bookingDate"] = json!(a);
    let r = s.room_list(&app, &query).await;
    assert!(
        r.json[0].get("inaccessibleAvailability").is_none(),
        "{}",
        r.json
    );
    assert_eq!(
        r.json[0]["accessibleAvailability"][0]["priceConfigurations"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    query["bookingDate"] = json!(a + chrono::Days::new(1));
    assert_eq!(a + chrono::Days::new(1), day(11));
    let r = s.room_list(&app, &query).await;
    assert_eq!(
        reasons(&r.json[0]["inaccessibleAvailability"]),
        [format!(
            "arrival {a} is before the booking date {}",
            day(11)
        )]
    );
}

async fn room_list_refusals(app: TestApp) {
    let s = Shop::new(&app, 3).await;
    let query = s.query(day(10), day(12), 2);
    let refused = |change: fn(&mut Value), field: &'static str| {
        let mut q = query.clone();
        change(&mut q);
        let app = &app;
        let s = &s;
        async move {
            let r = s.room_list(app, &q).await;
            assert_eq!(r.invalid_fields(), [field], "{}", r.json);
            r
        }
    };
    let r = refused(|q| q["currency"] = json!("EUR"), "/currency").await;
    assert!(
        r.json["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("no exchange rate")
    );
    refused(
        |q| q["channel"]["propertyIdentifier"] = json!(Uuid::new_v4().to_string()),
        "/channel/propertyIdentifier",
    )
    .await;
    refused(
        |q| q["channel"]["ownerIdentifier"] = json!(Uuid::new_v4().to_string()),
        "/channel/ownerIdentifier",
    )
    .await;
    refused(
        |q| {
            q["channel"]
                .as_object_mut()
                .unwrap()
                .remove("ownerIdentifier");
        },
        "/channel/ownerIdentifier",
    )
    .await;
    refused(
        |q| q["stayEndDate"] = q["stayStartDate"].clone(),
        "/stayEndDate",
    )
    .await;
    refused(
        |q| q["roomConfigurations"] = json!([]),
        "/roomConfigurations",
    )
    .await;
    refused(
        |q| q["roomConfigurations"][0]["adults"] = json!(0),
        "/roomConfigurations/0/adults",
    )
    .await;
    refused(
        |q| q["roomConfigurations"][0]["children"] = json!([{ "age": 30, "quantity": 1 }]),
        "/roomConfigurations/0/children",
    )
    .await;

    // Another account's property is missing.
    let stranger = app.persona(&[]).await;
    app.post(
        &format!("{}/sandbox/room/list", s.root()),
        &stranger.token,
        &query,
    )
    .await
    .problem(StatusCode::NOT_FOUND);
}

on_both_engines!(room_list_offers_and_reasons, room_list_refusals);
