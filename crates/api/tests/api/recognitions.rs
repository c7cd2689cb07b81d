//! Recognitions: part of the property's record. Their writes answer the property and move its
//! version, which their conditional writes name.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::on_both_engines;
use crate::support::{TestApp, TestResponse, base};

fn recognition(category: &str, provider: &str, rating: f64) -> Value {
    json!({ "category": category, "type": "STAR_RATING", "provider": provider, "rating": rating,
            "date": "2026-01-14", "officialAppointmentInd": true, "ratingSymbol": "*" })
}

async fn put(
    app: &TestApp,
    token: &str,
    path: &str,
    body: &Value,
    if_match: Option<&str>,
) -> TestResponse {
    app.send_if(Method::PUT, path, token, body, if_match).await
}

fn providers(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|r| r["provider"].as_str().unwrap())
        .collect()
}

async fn recognitions_of_a_property(app: TestApp) {
    let p = app.persona(&[]).await;
    let property = app.property(&p).await;
    let root = format!("{}/property/recognition", base(property));

    // Created: the answer is the property, with its new version as ETag.
    let r = app
        .post(&root, &p.token, &recognition("AWARD", " Michelin ", 4.5))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.json["id"], property.to_string());
    assert_eq!(r.json["version"], 2);
    assert_eq!(r.headers["etag"], "\"2\"");
    let michelin = r.json["recognitionList"][0].clone();
    let id = michelin["identifier"].as_str().unwrap().to_string();
    assert_eq!(
        michelin,
        json!({ "identifier": id, "category": "AWARD", "type": "STAR_RATING", "provider": "Michelin",
                "rating": 4.5, "maxRating": 5.0, "date": "2026-01-14",
                "officialAppointmentInd": true, "ratingSymbol": "*" })
    );

    // Refusals name their field and store nothing.
    let numeric = json!({ "category": "THIRD_PARTY_REVIEW", "type": "NUMERIC_RATING", "provider": "Guests", "rating": 8.5 });
    for (body, field) in [
        (recognition("AWARD", "   ", 4.0), "/provider"),
        (recognition("AWARD", "Forbes", 5.5), "/rating"),
        (numeric.clone(), "/maxRating"),
        (
            json!({ "category": "AWARD", "type": "PERCENT_RATING", "provider": "Forbes", "rating": 101 }),
            "/rating",
        ),
        (
            json!({ "category": "AWARD", "type": "STAR_RATING", "provider": "Forbes", "rating": 4, "date": "2026-06-18" }),
            "/date",
        ),
        (
            json!({ "category": "PRIZE", "type": "STAR_RATING", "provider": "Forbes", "rating": 4 }),
            "/category",
        ),
        (
            json!({ "category": "AWARD", "type": "STAR_RATING", "provider": "Forbes", "rating": -1 }),
            "/rating",
        ),
    ] {
        let r = app.post(&root, &p.token, &body).await;
        assert_eq!(r.invalid_fields(), [field], "{body}");
    }
    let list = app.get(&format!("{root}/list"), &p.token).await;
    assert_eq!(list.json["provider"], "Michelin");

    // Listed by category in the contract's order, then oldest first.
    let mut numeric = numeric;
    numeric["maxRating"] = json!(10);
    for body in [
        recognition("PUBLICATION", "Condé Nast", 4.0),
        recognition("AWARD", "World Travel Awards", 5.0),
        numeric,
    ] {
        let r = app.post(&root, &p.token, &body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    }
    // The contract's list operation answers one recognition: the first in list order; the
    // property answer lists them all.
    let list = app.get(&format!("{root}/list"), &p.token).await;
    assert_eq!(list.status, StatusCode::OK);
    let order = ["Guests", "Condé Nast", "Michelin", "World Travel Awards"];
    let shown = app
        .get(&format!("{}/property", base(property)), &p.token)
        .await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.json);
    assert_eq!(providers(&shown.json["recognitionList"]), order);
    assert_eq!(shown.json["recognitionList"][0], list.json);
    assert_eq!(shown.json["version"], 5);
    let awards = app.get(&format!("{root}/AWARD/list"), &p.token).await;
    assert_eq!(awards.json["provider"], "Michelin");
    let none = app.get(&format!("{root}/award/list"), &p.token).await;
    assert_eq!(none.invalid_fields(), ["category"]);

    // Shown with the property's version as ETag.
    let one = app.get(&format!("{root}/{id}"), &p.token).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.json, michelin);
    assert_eq!(one.headers["etag"], "\"5\"");

    // A stale version is refused and changes nothing; the current one applies.
    let changed = recognition("AWARD", "Michelin Guide", 3.0);
    let r = put(
        &app,
        &p.token,
        &format!("{root}/{id}"),
        &changed,
        Some("\"4\""),
    )
    .await;
    r.problem(StatusCode::PRECONDITION_FAILED);
    let mut stale_body = changed.clone();
    stale_body["version"] = json!(4);
    let r = put(&app, &p.token, &format!("{root}/{id}"), &stale_body, None).await;
    r.problem(StatusCode::CONFLICT);
    let r = put(
        &app,
        &p.token,
        &format!("{root}/{id}"),
        &recognition("AWARD", "x", 9.0),
        Some("\"5\""),
    )
    .await;
    assert_eq!(r.invalid_fields(), ["/rating"]);
    assert_eq!(
        app.get(&format!("{root}/{id}"), &p.token).await.json,
        michelin
    );
    let r = put(
        &app,
        &p.token,
        &format!("{root}/{id}"),
        &changed,
        Some("\"5\""),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["version"], 6);
    assert_eq!(r.headers["etag"], "\"6\"");
    let one = app.get(&format!("{root}/{id}"), &p.token).await;
    assert_eq!(
        (&one.json["provider"], &one.json["rating"]),
        (&json!("Michelin Guide"), &json!(3.0))
    );
    // Still in its place: an update keeps the creation order.
    let shown = app
        .get(&format!("{}/property", base(property)), &p.token)
        .await;
    assert_eq!(
        providers(&shown.json["recognitionList"])[2],
        "Michelin Guide"
    );

    // Another account sees none of it.
    let stranger = app.persona(&[]).await;
    let theirs = app.property(&stranger).await;
    let their_root = format!("{}/property/recognition", base(theirs));
    app.get(&format!("{their_root}/{id}"), &stranger.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    put(
        &app,
        &stranger.token,
        &format!("{their_root}/{id}"),
        &changed,
        None,
    )
    .await
    .problem(StatusCode::NOT_FOUND);
    app.delete(&format!("{their_root}/{id}"), &stranger.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    app.get(&format!("{root}/{id}"), &stranger.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    app.get(&format!("{their_root}/list"), &stranger.token)
        .await
        .problem(StatusCode::NOT_FOUND);

    // Removed: the answer is the property without it.
    let r = app.delete(&format!("{root}/{id}"), &p.token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["version"], 7);
    assert_eq!(
        providers(&r.json["recognitionList"]),
        ["Guests", "Condé Nast", "World Travel Awards"]
    );
    app.get(&format!("{root}/{id}"), &p.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    app.delete(&format!("{root}/{id}"), &p.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    app.get(&format!("{root}/{}", Uuid::new_v4()), &p.token)
        .await
        .problem(StatusCode::NOT_FOUND);
}

on_both_engines!(recognitions_of_a_property);

/// Two updates of one recognition based on the same read, at once: one applies, the other is
/// refused (412) and lost nothing; a property change since a read makes a recognition write
/// based on it stale too.
async fn concurrent_recognition_updates(app: TestApp) {
    let p = app.persona(&[]).await;
    let property = app.property(&p).await;
    let root = format!("{}/property/recognition", base(property));
    let r = app
        .post(&root, &p.token, &recognition("AWARD", "Michelin", 4.0))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let id = r.json["recognitionList"][0]["identifier"]
        .as_str()
        .unwrap()
        .to_string();
    let tag = r.headers["etag"].to_str().unwrap().to_string();
    let url = format!("{root}/{id}");
    let (first, second) = (
        recognition("AWARD", "First", 3.0),
        recognition("AWARD", "Second", 2.0),
    );
    let (a, b) = tokio::join!(
        put(&app, &p.token, &url, &first, Some(&tag)),
        put(&app, &p.token, &url, &second, Some(&tag)),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::PRECONDITION_FAILED],
        "{} {}",
        a.json,
        b.json
    );
    let winner = if a.status == StatusCode::OK {
        "First"
    } else {
        "Second"
    };
    let shown = app.get(&url, &p.token).await;
    assert_eq!(shown.json["provider"], winner);
    assert_eq!(shown.headers["etag"], "\"3\"");

    // Another recognition's creation moves the property's version: the old tag is stale.
    let r = app
        .post(&root, &p.token, &recognition("PUBLICATION", "Forbes", 4.0))
        .await;
    assert_eq!(r.json["version"], 4);
    put(
        &app,
        &p.token,
        &url,
        &recognition("AWARD", "Late", 1.0),
        Some("\"3\""),
    )
    .await
    .problem(StatusCode::PRECONDITION_FAILED);
    let r = app.delete(&url, &p.token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["version"], 5);
}

on_both_engines!(concurrent_recognition_updates);
