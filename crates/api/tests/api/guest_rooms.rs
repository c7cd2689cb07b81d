//! Tag "Guest Room" and property registration.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;
use uuid::Uuid;

use crate::fixtures;
use crate::on_both_engines;
use crate::support::{TestApp, base};

async fn registration_and_show(app: TestApp) {
    let p = app.persona(&[]).await;
    let r = app
        .post(
            &format!("/api/property?leadId={}", Uuid::new_v4()),
            &p.token,
            &fixtures::property(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let id = r.json["id"].as_str().unwrap();
    assert_eq!(r.json["managingEntityIdentifier"], id);
    assert_eq!(r.json["ownerIdentifier"], p.account_id.to_string());
    assert_eq!(r.json["userIdentifier"], p.client_id.to_string());
    assert_eq!(r.json["city"]["timezone"], "Asia/Bangkok");
    assert_eq!(r.json["urlName"], "test-hotel-bangkok");
    assert_eq!(r.json["version"], 1);
    assert_eq!(r.headers[header::ETAG], "\"1\"");

    let shown = app
        .get(
            &format!("/api/managing-entity/{id}/extranet/property"),
            &p.token,
        )
        .await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(shown.json, r.json);

    // A second property of the same name gets its own slug.
    let r2 = app
        .post(
            &format!("/api/property?leadId={}", Uuid::new_v4()),
            &p.token,
            &fixtures::property(),
        )
        .await;
    assert_ne!(r2.json["urlName"], r.json["urlName"]);

    // Bad input names the field and stores nothing.
    let mut bad = fixtures::property();
    bad["currencyCode"] = json!("XYZ");
    let r = app
        .post(
            &format!("/api/property?leadId={}", Uuid::new_v4()),
            &p.token,
            &bad,
        )
        .await;
    assert_eq!(r.invalid_fields(), ["/currencyCode"]);
    let mut bad = fixtures::property();
    bad["location"] = json!({});
    assert_eq!(
        app.post(
            &format!("/api/property?leadId={}", Uuid::new_v4()),
            &p.token,
            &bad
        )
        .await
        .invalid_fields(),
        ["/location"]
    );
    let mut bad = fixtures::property();
    bad.as_object_mut().unwrap().remove("name");
    bad["accountPhoneNumber"] = json!("call me");
    let fields = app
        .post(
            &format!("/api/property?leadId={}", Uuid::new_v4()),
            &p.token,
            &bad,
        )
        .await
        .invalid_fields();
    assert_eq!(fields, ["/accountPhoneNumber", "/name"]);
    assert_eq!(
        app.post("/api/property", &p.token, &fixtures::property())
            .await
            .invalid_fields(),
        ["leadId"]
    );
    assert_eq!(
        app.store.properties_of(p.account_id).await.unwrap().len(),
        2
    );
}

async fn guest_room_lifecycle(app: TestApp) {
    let p = app.persona(&[]).await;
    let property = app.property(&p).await;
    let rooms = format!("{}/facility/room-type", base(property));

    let r = app
        .post(&rooms, &p.token, &fixtures::room_type("Deluxe", 5))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let room = r.json["id"].as_str().unwrap().to_string();
    assert_eq!(r.json["hotelIdentifier"], property.to_string());
    assert_eq!(r.json["quantity"], 5);
    assert_eq!(r.json["contact"], json!({}));
    let one = format!("{rooms}/{room}");

    assert_eq!(app.get(&one, &p.token).await.json, r.json);
    let list = app.get(&format!("{rooms}/list"), &p.token).await;
    assert_eq!(list.json.as_array().unwrap().len(), 1);

    // Update without a version: accepted, version goes up.
    let mut body = fixtures::room_type("Deluxe Twin", 6);
    let r = app.put(&one, &p.token, &body).await;
    assert_eq!(
        (
            r.status,
            r.json["version"].as_i64(),
            r.json["name"].as_str()
        ),
        (StatusCode::OK, Some(2), Some("Deluxe Twin"))
    );

    // A stale version in the body is a 409, in If-Match a 412; neither changes anything.
    body["version"] = json!(1);
    body["name"] = json!("Lost update");
    app.put(&one, &p.token, &body)
        .await
        .problem(StatusCode::CONFLICT);
    let request = Request::builder()
        .method(Method::PUT)
        .uri(&one)
        .header(header::AUTHORIZATION, format!("Bearer {}", p.token))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::IF_MATCH, "\"1\"")
        .body(Body::from(
            serde_json::to_vec(&fixtures::room_type("Lost too", 1)).unwrap(),
        ))
        .unwrap();
    app.send(request)
        .await
        .problem(StatusCode::PRECONDITION_FAILED);
    assert_eq!(app.get(&one, &p.token).await.json["name"], "Deluxe Twin");
    body["version"] = json!(2);
    body["name"] = json!("Deluxe Twin Sea View");
    let r = app.put(&one, &p.token, &body).await;
    assert_eq!(
        (r.status, r.json["version"].as_i64()),
        (StatusCode::OK, Some(3))
    );

    let stored = app.get(&one, &p.token).await.json;
    assert_eq!(stored["version"], 3);

    // A refused update changes nothing: bad input names its field.
    let mut bad = fixtures::room_type("Refused", 7);
    bad["maxOccupancy"] = json!(0);
    assert_eq!(
        app.put(&one, &p.token, &bad).await.invalid_fields(),
        ["/maxOccupancy"]
    );
    assert_eq!(app.get(&one, &p.token).await.json, stored);

    // Another account cannot see, change or delete it, through its property or through its own.
    let q = app.persona(&[]).await;
    let their = app.property(&q).await;
    let theirs = format!("{}/facility/room-type/{room}", base(their));
    let takeover = fixtures::room_type("Taken over", 1);
    for path in [&one, &theirs] {
        app.get(path, &q.token).await.problem(StatusCode::NOT_FOUND);
        app.put(path, &q.token, &takeover)
            .await
            .problem(StatusCode::NOT_FOUND);
        app.delete(path, &q.token)
            .await
            .problem(StatusCode::NOT_FOUND);
    }
    // Nor can the same account through its other property.
    let sibling = app.property(&p).await;
    let beside = format!("{}/facility/room-type/{room}", base(sibling));
    app.get(&beside, &p.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    app.put(&beside, &p.token, &takeover)
        .await
        .problem(StatusCode::NOT_FOUND);
    app.delete(&beside, &p.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(
            &format!("{}/facility/room-type/list", base(sibling)),
            &p.token
        )
        .await
        .json,
        json!([])
    );
    assert_eq!(app.get(&one, &p.token).await.json, stored);

    let r = app.delete(&one, &p.token).await;
    assert_eq!(
        (r.status, r.json["id"].as_str()),
        (StatusCode::OK, Some(room.as_str()))
    );
    app.get(&one, &p.token).await.problem(StatusCode::NOT_FOUND);
    app.delete(&one, &p.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    app.get(&format!("{rooms}/not-a-uuid"), &p.token)
        .await
        .problem(StatusCode::NOT_FOUND);
}

async fn guest_room_validation(app: TestApp) {
    let p = app.persona(&[]).await;
    let property = app.property(&p).await;
    let rooms = format!("{}/facility/room-type", base(property));
    let cases = [
        ("maxOccupancy", json!(0), "/maxOccupancy"),
        ("roomGender", json!("Robot"), "/roomGender"),
        ("multimedias", json!([]), "/multimedias"),
        ("quantity", json!("five"), "/quantity"),
        ("floor", json!(null), ""),
    ];
    for (field, value, expected) in cases {
        let mut body = fixtures::room_type("Deluxe", 5);
        body[field] = value;
        let r = app.post(&rooms, &p.token, &body).await;
        if expected.is_empty() {
            // `null` is not a value the contract allows for any field.
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{field}: {}", r.json);
        } else {
            assert_eq!(r.invalid_fields(), [expected], "{field}");
        }
    }
    let mut body = fixtures::room_type("Deluxe", 5);
    body.as_object_mut().unwrap().remove("name");
    assert_eq!(
        app.post(&rooms, &p.token, &body).await.invalid_fields(),
        ["/name"]
    );
    let mut body = fixtures::room_type("Deluxe", 5);
    body["includedAdultOccupancy"] = json!(3);
    body["maxAdultOccupancy"] = json!(2);
    assert_eq!(
        app.post(&rooms, &p.token, &body).await.invalid_fields(),
        ["/includedAdultOccupancy"]
    );
    let mut body = fixtures::room_type("Deluxe", 5);
    body["baseRate"]["currency"] = json!("EUR");
    assert_eq!(
        app.post(&rooms, &p.token, &body).await.invalid_fields(),
        ["/baseRate/currency"]
    );
    // Malformed JSON and the wrong media type.
    let request = Request::builder()
        .method(Method::POST)
        .uri(&rooms)
        .header(header::AUTHORIZATION, format!("Bearer {}", p.token))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{\"name\":"))
        .unwrap();
    assert_eq!(app.send(request).await.invalid_fields(), ["/"]);
    let request = Request::builder()
        .method(Method::POST)
        .uri(&rooms)
        .header(header::AUTHORIZATION, format!("Bearer {}", p.token))
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from("x"))
        .unwrap();
    app.send(request)
        .await
        .problem(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(
        app.get(&format!("{rooms}/list"), &p.token)
            .await
            .json
            .as_array()
            .unwrap()
            .is_empty()
    );
}

/// A duplicate is a new room type with the original's content and media, its names marked as a
/// copy, a master rate for each of the original's rate plans, and no daily rates.
async fn duplicate_guest_room(app: TestApp) {
    let s = crate::bookings::Shop::new(&app, 4).await;
    let root = s.root();
    let token = &s.p.token;
    let second_plan = crate::cancellation_policies::create(
        &app,
        &format!("{root}/rate-plan"),
        token,
        &fixtures::rate_plan("Saver", &s.policy),
    )
    .await;
    let original = app
        .get(&format!("{root}/facility/room-type/{}", s.room), token)
        .await
        .json;
    let url = format!("{root}/facility/room-type/{}/duplicate", s.room);
    let body = json!({ "hotelIdentifier": s.property, "guestRoomIdentifier": s.room });
    let r = app.post(&url, token, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let copy = r.json.clone();
    let copy_id = copy["id"].as_str().unwrap().to_string();
    assert_ne!(copy_id, s.room);
    assert_eq!(copy["name"], "Deluxe (copy)");
    assert_eq!(copy["descriptions"][0]["name"], "Deluxe (copy)");
    assert_eq!(copy["descriptions"][0]["description"], "A quiet room.");
    assert_eq!(copy["version"], 1);
    assert_eq!(r.headers[header::ETAG], "\"1\"");
    // Everything else is the original's, media references included.
    let strip = |v: &serde_json::Value| {
        let mut v = v.clone();
        for key in [
            "id",
            "name",
            "descriptions",
            "createdDate",
            "lastUpdate",
            "version",
        ] {
            v.as_object_mut().unwrap().remove(key);
        }
        v
    };
    assert_eq!(strip(&copy), strip(&original));
    assert_eq!(copy["multimedias"], original["multimedias"]);
    let shown = app
        .get(&format!("{root}/facility/room-type/{copy_id}"), token)
        .await;
    assert_eq!(shown.json, copy);

    // A master rate with each rate plan, without daily rates; the original keeps its rates.
    let masters = app
        .get(&format!("{root}/master-rate/list"), token)
        .await
        .json;
    let mut plans: Vec<String> = masters
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["roomType"]["identifier"] == copy_id.as_str())
        .map(|m| {
            assert_eq!(m["enabled"], true);
            m["ratePlan"]["identifier"].as_str().unwrap().to_string()
        })
        .collect();
    plans.sort();
    let mut expected = vec![s.plan.clone(), second_plan];
    expected.sort();
    assert_eq!(plans, expected);
    let copied_master = masters
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["roomType"]["identifier"] == copy_id.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let range = json!({ "startDate": crate::bookings::day(1), "endDate": crate::bookings::day(5) });
    let r = app
        .post(
            &format!("{root}/master-rate/{copied_master}/rates/dates"),
            token,
            &range,
        )
        .await;
    // No daily rate is stored for it: every night reads as nothing for sale at no price.
    let nights = r.json.as_array().unwrap();
    assert_eq!(nights.len(), 5, "{}", r.json);
    for night in nights {
        assert_eq!(
            (&night["quantity"], &night["rate"], &night["available"]),
            (&json!(0), &json!(0.0), &json!(false)),
            "no daily rates are copied: {night}"
        );
    }
    assert_eq!(
        s.units(&app, crate::bookings::day(1), crate::bookings::day(5))
            .await,
        [4; 5]
    );

    // A copy of a copy, and names in other languages marked in theirs.
    let mut french = fixtures::room_type("Chambre", 2);
    french["descriptions"] = json!([
        { "name": "Chambre", "description": "Calme.", "language": "fr" },
        { "name": "Room", "description": "Quiet.", "language": "en" }
    ]);
    let id = crate::cancellation_policies::create(
        &app,
        &format!("{root}/facility/room-type"),
        token,
        &french,
    )
    .await;
    let r = app
        .post(
            &format!("{root}/facility/room-type/{id}/duplicate"),
            token,
            &json!({ "hotelIdentifier": s.property, "guestRoomIdentifier": id }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.json["descriptions"][0]["name"], "Chambre (copie)");
    assert_eq!(r.json["descriptions"][1]["name"], "Room (copy)");

    // The body names the path's property and room type; another property's room is missing.
    let r = app
        .post(
            &url,
            token,
            &json!({ "hotelIdentifier": Uuid::new_v4(), "guestRoomIdentifier": s.room }),
        )
        .await;
    assert_eq!(r.invalid_fields(), ["/hotelIdentifier"]);
    let r = app
        .post(
            &url,
            token,
            &json!({ "hotelIdentifier": s.property, "guestRoomIdentifier": copy_id }),
        )
        .await;
    assert_eq!(r.invalid_fields(), ["/guestRoomIdentifier"]);
    let other = crate::bookings::Shop::new(&app, 1).await;
    let r = app
        .post(
            &format!("{root}/facility/room-type/{}/duplicate", other.room),
            token,
            &json!({ "hotelIdentifier": s.property, "guestRoomIdentifier": other.room }),
        )
        .await;
    r.problem(StatusCode::NOT_FOUND);
    let rooms = app
        .get(&format!("{root}/facility/room-type/list"), token)
        .await;
    assert_eq!(
        rooms.json.as_array().unwrap().len(),
        4,
        "refused copies stored nothing"
    );
}

on_both_engines!(
    registration_and_show,
    guest_room_lifecycle,
    guest_room_validation,
    duplicate_guest_room
);
