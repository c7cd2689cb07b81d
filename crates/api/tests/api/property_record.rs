//! The property as a living record: each edit of it answers the whole property with the version
//! one higher, a stale `If-Match` is refused, two concurrent edits never lose a field, status
//! gates selling, moving the property recomputes its time zone, the policy has defaults and is
//! created once, and another account sees none of it.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::bookings::{Shop, day};
use crate::on_both_engines;
use crate::support::{Persona, TestApp, TestResponse, base};

fn record(property: Uuid) -> String {
    format!("{}/property", base(property))
}

/// `method path` with a JSON body and, when given, `If-Match: "version"`.
async fn send_if(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: &Value,
    version: Option<i64>,
) -> TestResponse {
    let tag = version.map(|v| format!("\"{v}\""));
    app.send_if(method, path, token, body, tag.as_deref()).await
}

async fn registered(app: &TestApp) -> (Persona, Uuid) {
    let p = app.persona(&[]).await;
    let property = app.property(&p).await;
    (p, property)
}

fn profile() -> Value {
    json!({ "stars": 5, "hotelChain": "Sunrise", "hotelBrand": "Sunrise Grand", "whenBuilt": "1998",
            "website": "https://sunrise-grand.example", "licenseNumber": "TAT-123", "numberOfRooms": 120,
            "locationCategory": "CITY", "segmentCategory": "LUXURY", "hotelCategory": "HOTEL",
            "architecturalStyle": "COLONIAL" })
}

fn policy() -> Value {
    json!({ "checkInTime": "15:00", "checkOutTime": "11:30", "childrenAllowed": true, "childrenMinimumAge": 4,
            "petsAllowed": true, "petMaxWeightInKilos": 12, "petCharge": { "amount": 350.5, "currency": "THB" },
            "internetAvailability": "YES", "internetConnectionType": "WIFI", "parkingAvailability": "YES_PAID" })
}

/// Profile, contacts and desk hours, services, welcome texts and the general manager: each
/// answers the whole property one version up, GET reads the same, and a bad value is a 400
/// naming its field that changes nothing.
async fn each_edit_answers_the_whole_property(app: TestApp) {
    let (p, property) = registered(&app).await;
    let path = record(property);
    let before = app.get(&path, &p.token).await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.json);
    assert_eq!(before.json["version"], 1);
    assert_eq!(before.json["stars"], 4);

    let r = app
        .patch(&format!("{path}/profile"), &p.token, &profile())
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["version"], 2);
    assert_eq!(r.headers["etag"], "\"2\"");
    for (field, value) in [
        ("stars", json!(5)),
        ("hotelChain", json!("Sunrise")),
        ("hotelBrand", json!("Sunrise Grand")),
        ("whenBuilt", json!("1998")),
        ("website", json!("https://sunrise-grand.example")),
        ("licenseNumber", json!("TAT-123")),
        ("numberOfRooms", json!(120)),
        ("segmentCategory", json!("LUXURY")),
        ("architecturalStyle", json!("COLONIAL")),
    ] {
        assert_eq!(r.json[field], value, "{field}");
    }
    // The rest of the record is as registered.
    assert_eq!(r.json["name"], before.json["name"]);
    assert_eq!(
        r.json["reservationsContact"],
        before.json["reservationsContact"]
    );
    assert_eq!(app.get(&path, &p.token).await.json, r.json);

    let bad = app
        .patch(&format!("{path}/profile"), &p.token, &json!({ "stars": 9 }))
        .await;
    assert!(
        bad.invalid_fields().contains(&"/stars".to_string()),
        "{}",
        bad.json
    );

    let contacts = json!({
        "reservationsContact": { "firstName": "Ann", "lastName": "Lee", "email": "desk@hotel.example", "phoneNumber": "+6621234567" },
        "revenueContact": { "email": "revenue@hotel.example" },
        "marketingContact": { "email": "marketing@hotel.example" },
        "reservationDeskStartTime": "8:00", "reservationDeskEndTime": "20:30"
    });
    let r = app
        .patch(&format!("{path}/contact-info"), &p.token, &contacts)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["version"], 3);
    assert_eq!(r.json["reservationDeskStartTime"], "08:00");
    assert_eq!(r.json["reservationDeskEndTime"], "20:30");
    assert_eq!(r.json["reservationsContact"]["email"], "desk@hotel.example");
    assert_eq!(r.json["revenueContact"]["email"], "revenue@hotel.example");
    assert_eq!(r.json["stars"], 5, "the profile stays");
    let mut late = contacts.clone();
    late["reservationDeskEndTime"] = json!("25:00");
    let bad = app
        .patch(&format!("{path}/contact-info"), &p.token, &late)
        .await;
    assert_eq!(bad.invalid_fields(), ["/reservationDeskEndTime"]);

    let services =
        json!({ "hotelAmenityCodes": ["POOL", "SPA", "POOL"], "propertySecurityCodes": ["CCTV"] });
    let r = app
        .patch(&format!("{path}/services"), &p.token, &services)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["hotelAmenityCodes"], json!(["POOL", "SPA"]));
    assert_eq!(r.json["propertySecurityCodes"], json!(["CCTV"]));
    assert!(r.json.get("propertyAccessibilityCodes").is_none());
    let bad = app
        .patch(
            &format!("{path}/services"),
            &p.token,
            &json!({ "hotelAmenityCodes": "POOL" }),
        )
        .await;
    assert_eq!(bad.invalid_fields(), ["/hotelAmenityCodes"]);

    // Welcome texts: the languages sent replace theirs, the others stay.
    let texts = json!({ "list": [
        { "name": "short", "description": "Welcome!", "language": "en" },
        { "name": "short", "description": "Willkommen!", "language": "de" }
    ] });
    let r = app
        .patch(&format!("{path}/welcome-text"), &p.token, &texts)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let r = app
        .patch(
            &format!("{path}/welcome-text"),
            &p.token,
            &json!({ "list": [{ "name": "short", "description": "Hello again", "language": "en" }] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let described: Vec<(String, String)> = r.json["descriptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["language"].as_str().unwrap().to_string(),
                d["description"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        described,
        [
            ("de".to_string(), "Willkommen!".to_string()),
            ("en".to_string(), "Hello again".to_string())
        ]
    );
    let twice = json!({ "list": [
        { "name": "short", "description": "a", "language": "en" },
        { "name": "short", "description": "b", "language": "en" }
    ] });
    let bad = app
        .patch(&format!("{path}/welcome-text"), &p.token, &twice)
        .await;
    assert_eq!(bad.invalid_fields(), ["/list/1"]);

    let manager = json!({ "name": "Khun Malee", "descriptions": [{ "language": "en", "description": "Runs the place." }] });
    let r = app
        .patch(&format!("{path}/general-manager"), &p.token, &manager)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["generalManager"]["name"], "Khun Malee");
    assert_eq!(
        r.json["generalManager"]["descriptions"][0]["description"],
        "Runs the place."
    );
    let bad = app
        .patch(
            &format!("{path}/general-manager"),
            &p.token,
            &json!({ "name": "  " }),
        )
        .await;
    assert_eq!(bad.invalid_fields(), ["/name"]);

    // Refusals changed nothing: one version per accepted write (profile, contacts, services,
    // two welcome texts, general manager).
    let after = app.get(&path, &p.token).await;
    assert_eq!(after.json["version"], 7);
    assert_eq!(after.json["generalManager"]["name"], "Khun Malee");
    assert_eq!(after.json["reservationDeskEndTime"], "20:30");
}

async fn lifestyles_and_social_networks(app: TestApp) {
    let (p, property) = registered(&app).await;
    let path = record(property);
    let r = app.get(&format!("{path}/lifestyles"), &p.token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json, json!({ "hotelIdentifier": property }));

    let list = json!({ "list": ["LIFESTYLE_CITY", "LIFESTYLE_FOODIE"] });
    let r = app
        .put(&format!("{path}/lifestyles"), &p.token, &list)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["lifestyleTypes"], list["list"]);
    assert_eq!(r.json["lifestyles"], true);
    let r = app.get(&format!("{path}/lifestyles"), &p.token).await;
    assert_eq!(r.json["list"], list["list"]);

    let five = json!({ "list": ["LIFESTYLE_CITY", "LIFESTYLE_FOODIE", "LIFESTYLE_ECO", "LIFESTYLE_SOLO", "LIFESTYLE_RELAX"] });
    let bad = app
        .put(&format!("{path}/lifestyles"), &p.token, &five)
        .await;
    assert_eq!(bad.invalid_fields(), ["/list"]);
    let unknown = json!({ "list": ["LIFESTYLE_NAPPING"] });
    let bad = app
        .put(&format!("{path}/lifestyles"), &p.token, &unknown)
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    let r = app.get(&format!("{path}/social-networks"), &p.token).await;
    assert_eq!(r.json, json!({ "hotelIdentifier": property }));
    let socials = json!({ "list": [
        { "type": "INSTAGRAM", "location": "https://instagram.com/hotel" },
        { "type": "LINE", "location": "@hotel" }
    ] });
    let r = app
        .patch(&format!("{path}/social-networks"), &p.token, &socials)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["socials"], socials["list"]);
    assert_eq!(r.json["socialNetworks"], true);
    assert_eq!(r.json["lifestyleTypes"], list["list"], "lifestyles stay");
    let r = app.get(&format!("{path}/social-networks"), &p.token).await;
    assert_eq!(r.json["list"], socials["list"]);

    let twice = json!({ "list": [
        { "type": "LINE", "location": "@a" }, { "type": "LINE", "location": "@b" }
    ] });
    let bad = app
        .patch(&format!("{path}/social-networks"), &p.token, &twice)
        .await;
    assert_eq!(bad.invalid_fields(), ["/list/1/type"]);
    let r = app.get(&format!("{path}/social-networks"), &p.token).await;
    assert_eq!(r.json["list"], socials["list"], "a refusal changes nothing");
}

async fn policy_defaults_then_created_once(app: TestApp) {
    let (p, property) = registered(&app).await;
    let path = format!("{}/policy/property", record(property));
    let r = app.get(&path, &p.token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["checkInTime"], "14:00");
    assert_eq!(r.json["petsAllowed"], false);
    assert!(
        app.get(&record(property), &p.token)
            .await
            .json
            .get("policy")
            .is_none(),
        "no policy is stored yet"
    );

    // Pet charges are money of the property (THB): another currency is refused.
    let mut dollars = policy();
    dollars["petCharge"] = json!({ "amount": 10, "currency": "USD" });
    let bad = app.post(&path, &p.token, &dollars).await;
    assert_eq!(bad.invalid_fields(), ["/petCharge/currency"]);
    let mut times = policy();
    times["checkInTime"] = json!("3pm");
    times["childrenMinimumAge"] = json!(21);
    let bad = app.post(&path, &p.token, &times).await;
    assert_eq!(
        bad.invalid_fields(),
        ["/checkInTime", "/childrenMinimumAge"]
    );

    let r = app.post(&path, &p.token, &policy()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.json["version"], 2);
    assert_eq!(r.json["policy"]["checkInTime"], "15:00");
    assert_eq!(
        r.json["policy"]["petCharge"],
        json!({ "amount": 350.5, "currency": "THB" })
    );
    let shown = app.get(&path, &p.token).await;
    assert_eq!(shown.json, r.json["policy"]);

    let again = app.post(&path, &p.token, &policy()).await;
    let detail = again.problem(StatusCode::BAD_REQUEST)["detail"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(detail.contains("already has a policy"), "{detail}");

    let mut replaced = policy();
    replaced["petsAllowed"] = json!(false);
    replaced.as_object_mut().unwrap().remove("petCharge");
    replaced
        .as_object_mut()
        .unwrap()
        .remove("petMaxWeightInKilos");
    let r = app.put(&path, &p.token, &replaced).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["version"], 3);
    assert_eq!(r.json["policy"]["petsAllowed"], false);
    assert!(r.json["policy"].get("petCharge").is_none());
}

/// `If-Match` naming a version that is no longer current is refused (412) and changes nothing;
/// the current one is accepted.
async fn a_stale_version_is_refused(app: TestApp) {
    let (p, property) = registered(&app).await;
    let path = record(property);
    let r = send_if(
        &app,
        Method::PATCH,
        &format!("{path}/profile"),
        &p.token,
        &profile(),
        Some(1),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let socials = json!({ "list": [{ "type": "LINE", "location": "@hotel" }] });
    let stale = send_if(
        &app,
        Method::PATCH,
        &format!("{path}/social-networks"),
        &p.token,
        &socials,
        Some(1),
    )
    .await;
    stale.problem(StatusCode::PRECONDITION_FAILED);
    let now = app.get(&path, &p.token).await;
    assert_eq!(now.json["version"], 2);
    assert!(now.json.get("socials").is_none());
    let fresh = send_if(
        &app,
        Method::PATCH,
        &format!("{path}/social-networks"),
        &p.token,
        &socials,
        Some(2),
    )
    .await;
    assert_eq!(fresh.status, StatusCode::OK, "{}", fresh.json);
    assert_eq!(fresh.json["version"], 3);
}

/// Two edits at once over real TCP, many rounds: with the same `If-Match` one wins and the other
/// is refused; without one both land. Either way no field is lost and the version counts the
/// writes that landed.
async fn concurrent_edits_lose_nothing(app: TestApp) {
    let (p, property) = registered(&app).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app.router.clone();
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let client = reqwest::Client::new();
    let url = format!("http://{addr}{}", record(property));
    let send = |path: &str, body: Value, version: Option<i64>| {
        let mut request = client
            .patch(format!("{url}/{path}"))
            .bearer_auth(&p.token)
            .json(&body);
        if let Some(v) = version {
            request = request.header("If-Match", format!("\"{v}\""));
        }
        async move {
            let r = request.send().await.expect("the server answers");
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    let mut version = 1;
    for round in 0..6 {
        let stars = round % 6;
        let mut prof = profile();
        prof["stars"] = json!(stars);
        let socials = json!({ "list": [{ "type": "LINE", "location": format!("@round{round}") }] });
        let (a, b) = tokio::join!(
            send("profile", prof, Some(version)),
            send("social-networks", socials, Some(version))
        );
        let mut statuses = [a.0, b.0];
        statuses.sort();
        assert_eq!(statuses, [200, 412], "round {round}: {a:?} {b:?}");
        version += 1;
        let now = app.get(&record(property), &p.token).await.json;
        assert_eq!(now["version"], version);
        let (winner, _) = if a.0 == 200 {
            (&a.1, &b.1)
        } else {
            (&b.1, &a.1)
        };
        assert_eq!(&now, winner, "the winner's answer is what is stored");

        // Without a version both land, one after the other, neither lost.
        let mut prof = profile();
        prof["licenseNumber"] = json!(format!("L-{round}"));
        let socials = json!({ "list": [{ "type": "WECHAT", "location": format!("w{round}") }] });
        let (a, b) = tokio::join!(
            send("profile", prof, None),
            send("social-networks", socials, None)
        );
        assert_eq!((a.0, b.0), (200, 200), "round {round}: {a:?} {b:?}");
        version += 2;
        let now = app.get(&record(property), &p.token).await.json;
        assert_eq!(now["version"], version);
        assert_eq!(now["licenseNumber"], format!("L-{round}"));
        assert_eq!(now["socials"][0]["location"], format!("w{round}"));
    }
    server.abort();
}

/// An inactive property is offered nothing (the reason listed) and takes no booking; its data
/// stays readable and editable; active again, it sells again.
async fn an_inactive_property_sells_nothing(app: TestApp) {
    let s = Shop::new(&app, 5).await;
    let token = &s.p.token;
    let path = record(s.property);
    let query = s.query(day(3), day(5), 2);
    let offer = s.offer(&app, &query).await;
    assert!(offer.is_object(), "offered while active");

    let r = app
        .patch(
            &format!("{path}/status"),
            token,
            &json!({ "status": "INACTIVE" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["status"], "INACTIVE");
    assert_eq!(r.json["externalStatus"], "INACTIVE");
    assert_eq!(r.json["active"], false);

    let list = s.room_list(&app, &query).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.json);
    let room = &list.json[0];
    assert_eq!(room["accessibleAvailability"][0]["available"], false);
    assert!(
        room["accessibleAvailability"][0]
            .get("priceConfigurations")
            .is_none()
    );
    let refused = &room["inaccessibleMasterRates"][0];
    assert_eq!(refused["map"]["codes"], "PROPERTY_INACTIVE", "{room}");
    let booking = s.booking_request(&query, &offer, ("Ann", "Lee", "ann@example.com"));
    let r = s.book(&app, &booking).await;
    let detail = r.problem(StatusCode::CONFLICT)["detail"].as_str().unwrap();
    assert!(detail.contains("not active"), "{detail}");
    let bookings = app.get(&format!("{}/booking/list", s.root()), token).await;
    assert_eq!(bookings.json["totalElements"], 0, "{}", bookings.json);

    // Still readable and editable.
    let r = app
        .patch(&format!("{path}/profile"), token, &profile())
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["status"], "INACTIVE");
    let bad = app
        .patch(
            &format!("{path}/status"),
            token,
            &json!({ "status": "CLOSED" }),
        )
        .await;
    assert_eq!(bad.invalid_fields(), ["/status"]);

    let r = app
        .patch(
            &format!("{path}/status"),
            token,
            &json!({ "status": "ACTIVE" }),
        )
        .await;
    assert_eq!(r.json["active"], true);
    let r = s.book(&app, &booking).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
}

/// Moving the property from Bangkok to Lisbon moves its point and its time zone; a point without
/// coordinates or off the map is refused naming it.
async fn moving_the_property_recomputes_its_zone(app: TestApp) {
    let (p, property) = registered(&app).await;
    let path = record(property);
    let before = app.get(&path, &p.token).await.json;
    assert_eq!(before["city"]["timezone"], "Asia/Bangkok");

    let lisbon = json!({ "point": { "type": "Point", "coordinates": [-9.1393, 38.7223] } });
    let r = app
        .patch(&format!("{path}/location"), &p.token, &lisbon)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["city"]["timezone"], "Europe/Lisbon");
    assert_eq!(
        r.json["locationPoint"]["coordinates"],
        json!([-9.1393, 38.7223])
    );
    assert_eq!(r.json["locationPoint"]["x"], json!(-9.1393));
    assert_eq!(r.json["version"], 2);
    assert_eq!(app.get(&path, &p.token).await.json, r.json);
    // Every later date of the property is in its new zone.
    let stored = app.store.property_ref(property).await.unwrap();
    assert_eq!(stored.time_zone, "Europe/Lisbon");

    let xy = json!({ "point": { "x": 100.5018, "y": 13.7563 } });
    let r = app.patch(&format!("{path}/location"), &p.token, &xy).await;
    assert_eq!(r.json["city"]["timezone"], "Asia/Bangkok");

    for bad in [
        json!({ "point": {} }),
        json!({ "point": { "coordinates": [200.0, 10.0] } }),
    ] {
        let r = app.patch(&format!("{path}/location"), &p.token, &bad).await;
        assert_eq!(r.invalid_fields(), ["/point"], "{bad}");
    }
    assert_eq!(app.get(&path, &p.token).await.json["version"], 3);
}

/// Another account's token finds no property: every read and write is a 404, and nothing
/// changes.
async fn another_account_sees_nothing(app: TestApp) {
    let (p, property) = registered(&app).await;
    let other = app.persona(&[]).await;
    let path = record(property);
    for (method, sub, body) in [
        (Method::GET, "", None),
        (Method::PATCH, "/profile", Some(profile())),
        (
            Method::PATCH,
            "/status",
            Some(json!({ "status": "INACTIVE" })),
        ),
        (
            Method::PATCH,
            "/location",
            Some(json!({ "point": { "coordinates": [-9.1393, 38.7223] } })),
        ),
        (Method::GET, "/lifestyles", None),
        (
            Method::PUT,
            "/lifestyles",
            Some(json!({ "list": ["LIFESTYLE_ECO"] })),
        ),
        (Method::GET, "/social-networks", None),
        (Method::GET, "/policy/property", None),
        (Method::POST, "/policy/property", Some(policy())),
    ] {
        let r = app
            .call(
                method.clone(),
                &format!("{path}{sub}"),
                Some(&other.token),
                body.as_ref(),
            )
            .await;
        r.problem(StatusCode::NOT_FOUND);
    }
    let mine = app.get(&path, &p.token).await.json;
    assert_eq!(mine["version"], 1);
    assert_eq!(mine["status"], "ACTIVE");
}

on_both_engines!(
    each_edit_answers_the_whole_property,
    lifestyles_and_social_networks,
    policy_defaults_then_created_once,
    a_stale_version_is_refused,
    concurrent_edits_lose_nothing,
    an_inactive_property_sells_nothing,
    moving_the_property_recomputes_its_zone,
    another_account_sees_nothing,
);
