//! Announcements: validated, versioned, and current within their dates (or always) on the
//! fixed test clock (today at the fixture property: 2026-06-17).

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::on_both_engines;
use crate::support::{TestApp, TestResponse, base};

fn announcement(text: &str, start: Option<&str>, end: Option<&str>, always: bool) -> Value {
    let mut body = json!({
        "descriptions": [
            { "name": "Notice", "description": text, "language": "en" },
            { "name": "ประกาศ", "description": format!("{} (th)", text.trim()), "language": "th" }
        ],
        "showTitle": true, "showAlways": always
    });
    if let Some(start) = start {
        body["startDate"] = json!(start);
    }
    if let Some(end) = end {
        body["endDate"] = json!(end);
    }
    body
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

fn texts(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|a| a["descriptions"][0]["description"].as_str().unwrap())
        .collect()
}

async fn announcements_of_a_property(app: TestApp) {
    let p = app.persona(&[]).await;
    let property = app.property(&p).await;
    let root = format!("{}/announcement", base(property));

    let r = app
        .post(
            &root,
            &p.token,
            &announcement(
                " Pool closed ",
                Some("2026-06-01"),
                Some("2026-06-30"),
                false,
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.headers["etag"], "\"1\"");
    let id = r.json["id"].as_str().unwrap().to_string();
    let mut expected = json!({
        "id": id, "version": 1, "hotelIdentifier": property,
        "startDate": "2026-06-01", "endDate": "2026-06-30",
        "descriptions": [
            { "name": "Notice", "description": "Pool closed", "language": "en" },
            { "name": "ประกาศ", "description": "Pool closed (th)", "language": "th" }
        ],
        "showTitle": true, "showAlways": false
    });
    for copied in ["createdDate", "lastUpdate"] {
        expected[copied] = r.json[copied].clone();
    }
    assert_eq!(r.json, expected);
    let shown = app.get(&format!("{root}/{id}"), &p.token).await;
    assert_eq!((shown.status, &shown.json), (StatusCode::OK, &expected));

    // Refusals name their field and store nothing.
    let mut blank = announcement("x", None, None, false);
    blank["descriptions"][1]["description"] = json!("   ");
    let mut twice = announcement("x", None, None, false);
    twice["descriptions"][1]["language"] = json!("en");
    let mut none = announcement("x", None, None, false);
    none["descriptions"] = json!([]);
    for (body, field) in [
        (
            announcement("x", Some("2026-06-10"), Some("2026-06-09"), false),
            "/endDate",
        ),
        (blank, "/descriptions/1/description"),
        (twice, "/descriptions/1/language"),
        (none, "/descriptions"),
        (
            announcement("x", Some("2200-01-01"), None, false),
            "/startDate",
        ),
    ] {
        let r = app.post(&root, &p.token, &body).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(r.invalid_fields(), [field], "{body}");
    }
    assert_eq!(
        texts(&app.get(&format!("{root}/list"), &p.token).await.json),
        ["Pool closed"]
    );

    // Current: within the dates (both days included) or shown always; then upcoming, then past.
    for body in [
        announcement("May works", Some("2026-05-01"), Some("2026-05-31"), false),
        announcement("Summer menu", Some("2026-07-01"), None, false),
        announcement("Welcome", Some("2026-01-01"), Some("2026-01-31"), true),
        announcement("Open notice", None, None, false),
        announcement("Ends today", None, Some("2026-06-17"), false),
        announcement(
            "Ended yesterday",
            Some("2026-06-01"),
            Some("2026-06-16"),
            false,
        ),
        announcement(
            "Starts tomorrow",
            Some("2026-06-18"),
            Some("2026-06-20"),
            false,
        ),
    ] {
        let r = app.post(&root, &p.token, &body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    }
    let all = app.get(&format!("{root}/list"), &p.token).await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(
        texts(&all.json),
        [
            "Open notice",
            "Ends today",
            "Welcome",
            "Pool closed",
            "Starts tomorrow",
            "Summer menu",
            "Ended yesterday",
            "May works"
        ]
    );
    let current = app
        .get(&format!("{root}/list?current=true"), &p.token)
        .await;
    assert_eq!(
        texts(&current.json),
        ["Open notice", "Ends today", "Welcome", "Pool closed"]
    );
    let same = app
        .get(&format!("{root}/list?current=false"), &p.token)
        .await;
    assert_eq!(same.json, all.json);

    // Versioned updates: a stale version is refused and changes nothing.
    let changed = announcement(
        "Pool reopens",
        Some("2026-06-01"),
        Some("2026-06-20"),
        false,
    );
    put(
        &app,
        &p.token,
        &format!("{root}/{id}"),
        &changed,
        Some("\"7\""),
    )
    .await
    .problem(StatusCode::PRECONDITION_FAILED);
    let mut stale = changed.clone();
    stale["version"] = json!(0);
    put(&app, &p.token, &format!("{root}/{id}"), &stale, None)
        .await
        .problem(StatusCode::CONFLICT);
    assert_eq!(
        app.get(&format!("{root}/{id}"), &p.token).await.json,
        expected
    );
    let r = put(
        &app,
        &p.token,
        &format!("{root}/{id}"),
        &changed,
        Some("\"1\""),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(
        (&r.json["version"], &r.json["endDate"]),
        (&json!(2), &json!("2026-06-20"))
    );
    assert_eq!(r.json["createdDate"], expected["createdDate"]);
    assert_eq!(r.headers["etag"], "\"2\"");

    // Another account sees none of it.
    let stranger = app.persona(&[]).await;
    let theirs = app.property(&stranger).await;
    let their_root = format!("{}/announcement", base(theirs));
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
    assert_eq!(
        app.get(&format!("{their_root}/list"), &stranger.token)
            .await
            .json,
        json!([])
    );

    // Removed with its answer, then gone.
    let r = app.delete(&format!("{root}/{id}"), &p.token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!((&r.json["id"], &r.json["version"]), (&json!(id), &json!(2)));
    app.get(&format!("{root}/{id}"), &p.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    app.delete(&format!("{root}/{id}"), &p.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    assert_eq!(
        texts(&app.get(&format!("{root}/list"), &p.token).await.json).len(),
        7
    );
}

on_both_engines!(announcements_of_a_property);
