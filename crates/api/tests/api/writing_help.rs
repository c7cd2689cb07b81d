//! Writing help: suggestions written from the stored facts, without and with a language model
//! (a stub chat-completions server started by the test), falling back to the deterministic
//! writer when the model is slow, failing or makes things up. Nothing is saved.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use serde_json::{Value, json};
use uuid::Uuid;
use wink_api::ApiConfig;
use wink_api::writing::WritingConfig;

use crate::cancellation_policies::create;
use crate::fixtures;
use crate::on_both_engines;
use crate::support::{Persona, TestApp, base};

struct Hotel {
    p: Persona,
    property: Uuid,
    room: String,
}

impl Hotel {
    fn root(&self) -> String {
        base(self.property)
    }
}

/// The fixture property with a room type ("Deluxe", 32 m², a king bed, city view) and a
/// restaurant.
async fn hotel(app: &TestApp) -> Hotel {
    let p = app.persona(&[]).await;
    let property = app.property(&p).await;
    let root = base(property);
    let room = create(
        app,
        &format!("{root}/facility/room-type"),
        &p.token,
        &fixtures::room_type("Deluxe", 5),
    )
    .await;
    create(
        app,
        &format!("{root}/facility/restaurant"),
        &p.token,
        &fixtures::inventory("restaurant", "Baan Thai"),
    )
    .await;
    Hotel { p, property, room }
}

/// Everything the writing operations could change, to check that they change nothing.
async fn stored(app: &TestApp, h: &Hotel) -> (Value, Value) {
    let property = app.get(&format!("{}/property", h.root()), &h.p.token).await;
    let room = app
        .get(
            &format!("{}/facility/room-type/{}", h.root(), h.room),
            &h.p.token,
        )
        .await;
    (property.json, room.json)
}

/// The answers of the five operations.
async fn answers(app: &TestApp, h: &Hotel) -> Vec<Value> {
    let root = h.root();
    let en = json!({ "language": "en" });
    let mut out = Vec::new();
    for (path, body) in [
        ("property/welcome-text/suggest", en.clone()),
        (
            "property/welcome-text/improve",
            json!({ "name": "test hotel  bangkok", "description": "a calm place , near the river", "language": "en" }),
        ),
        ("property/profile/suggest", en.clone()),
        ("property/services/suggest", en.clone()),
    ] {
        let r = app.post(&format!("{root}/{path}"), &h.p.token, &body).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.json);
        out.push(r.json);
    }
    let r = app
        .put(
            &format!("{root}/facility/room-type/{}/improve", h.room),
            &h.p.token,
            &json!({ "title": "deluxe   room" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    out.push(r.json);
    out
}

async fn suggestions_come_from_the_stored_facts(app: TestApp) {
    let h = hotel(&app).await;
    let before = stored(&app, &h).await;
    let a = answers(&app, &h).await;

    let welcome = &a[0];
    assert_eq!(welcome["name"], "Test Hotel Bangkok");
    assert_eq!(welcome["language"], "en");
    assert_eq!(welcome["creator"], "SYSTEM");
    assert_eq!(
        welcome["description"],
        "Test Hotel Bangkok is a 4-star hotel in Thailand. It has 40 rooms: Deluxe. Guests will \
         find the restaurant Baan Thai."
    );

    let improved = &a[1];
    assert_eq!(improved["name"], "Test Hotel Bangkok");
    let text = improved["description"].as_str().unwrap();
    assert!(
        text.starts_with(
            "A calm place, near the river. Test Hotel Bangkok is a 4-star hotel in Thailand."
        ),
        "{text}"
    );
    assert!(text.contains("the restaurant Baan Thai"), "{text}");

    let profile = &a[2];
    assert_eq!(profile["address1"], "1 Sukhumvit Road");
    assert_eq!(profile["postalCode"], "10110");
    assert_eq!(profile["country"], "Thailand");
    assert_eq!(profile["hotelStars"], "4");
    assert_eq!(profile["numberOfRooms"], "40");
    assert_eq!(profile["propertyClass"], "HOTEL");
    assert_eq!(profile["emailAddress"], "reservations@test-hotel.example");
    assert_eq!(profile["website"], "");
    assert_eq!(
        profile["ambiance"],
        "Test Hotel Bangkok is a 4-star hotel in Thailand."
    );

    // The restaurant is not among the amenity codes yet.
    assert_eq!(
        a[3],
        json!({ "value": "RESTAURANT", "label": "Restaurant" })
    );

    let room = &a[4];
    assert_eq!(room["title"], "Deluxe Room");
    let text = room["description"].as_str().unwrap();
    assert_eq!(
        text,
        "A quiet room. The Deluxe measures 32 m² and sleeps up to 3 guests (3 adults and 2 \
         children at most). It has 1 king bed. It offers a city view. It has 1 bathroom. The \
         room is non-smoking."
    );

    // Deterministic, and nothing was saved.
    assert_eq!(answers(&app, &h).await, a);
    assert_eq!(stored(&app, &h).await, before);

    // Languages the server does not write are refused, naming the field.
    for path in [
        "property/welcome-text/suggest",
        "property/profile/suggest",
        "property/services/suggest",
    ] {
        let r = app
            .post(
                &format!("{}/{path}", h.root()),
                &h.p.token,
                &json!({ "language": "fr" }),
            )
            .await;
        assert_eq!(r.invalid_fields(), ["/language"], "{path}");
    }
    let r = app
        .post(
            &format!("{}/property/welcome-text/improve", h.root()),
            &h.p.token,
            &json!({ "name": "x", "description": "y", "language": "de" }),
        )
        .await;
    assert_eq!(r.invalid_fields(), ["/language"]);

    // Another property's room type is missing.
    let other = hotel(&app).await;
    let r = app
        .put(
            &format!("{}/facility/room-type/{}/improve", h.root(), other.room),
            &h.p.token,
            &json!({}),
        )
        .await;
    r.problem(StatusCode::NOT_FOUND);
}

/// What the stub chat-completions server saw.
#[derive(Default)]
struct Seen {
    bodies: Vec<Value>,
    authorizations: Vec<String>,
}

type Stub = Arc<Mutex<Seen>>;

fn record(stub: &Stub, headers: &HeaderMap, body: Value) {
    let mut seen = stub.lock().unwrap();
    seen.bodies.push(body);
    if let Some(a) = headers.get("authorization") {
        seen.authorizations.push(a.to_str().unwrap().to_string());
    }
}

fn completion(content: &str) -> Json<Value> {
    Json(json!({
        "id": "chatcmpl-1", "object": "chat.completion", "model": "stub",
        "choices": [{ "index": 0, "finish_reason": "stop",
                      "message": { "role": "assistant", "content": content } }]
    }))
}

/// A chat-completions stub on 127.0.0.1:0: `/ok` answers, `/slow` answers after 5 s,
/// `/invented` answers with a star rating the facts do not hold, `/broken` answers 500.
async fn stub_server() -> (String, Stub) {
    let stub: Stub = Arc::default();
    let router = axum::Router::new()
        .route(
            "/ok",
            post(
                |State(stub): State<Stub>, headers: HeaderMap, Json(body): Json<Value>| async move {
                    record(&stub, &headers, body);
                    completion("  A calm stay at Test Hotel Bangkok, in Thailand.  ")
                },
            ),
        )
        .route(
            "/slow",
            post(
                |State(stub): State<Stub>, headers: HeaderMap, Json(body): Json<Value>| async move {
                    record(&stub, &headers, body);
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    completion("Too late.")
                },
            ),
        )
        .route(
            "/invented",
            post(
                |State(stub): State<Stub>, headers: HeaderMap, Json(body): Json<Value>| async move {
                    record(&stub, &headers, body);
                    completion("A 5-star palace with 300 rooms.")
                },
            ),
        )
        .route(
            "/broken",
            post(
                |State(stub): State<Stub>, headers: HeaderMap, Json(body): Json<Value>| async move {
                    record(&stub, &headers, body);
                    (StatusCode::INTERNAL_SERVER_ERROR, "model overloaded")
                },
            ),
        )
        .with_state(stub.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (format!("http://{address}"), stub)
}

fn with_writing(app: &TestApp, url: String, key_env: Option<&str>) -> ApiConfig {
    ApiConfig {
        writing: Some(WritingConfig {
            url,
            model: "stub-model".into(),
            api_key_env: key_env.map(str::to_string),
            timeout_seconds: 1,
        }),
        ..app.state.config.as_ref().clone()
    }
}

async fn welcome(app: &TestApp, h: &Hotel) -> Value {
    let r = app
        .post(
            &format!("{}/property/welcome-text/suggest", h.root()),
            &h.p.token,
            &json!({ "language": "en" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    r.json
}

async fn a_language_model_writes_when_it_answers_well(app: TestApp) {
    let h = hotel(&app).await;
    let deterministic = answers(&app, &h).await;
    let before = stored(&app, &h).await;
    let (stub_url, stub) = stub_server().await;

    // A model that answers well writes the texts (the key read from the named variable).
    let key = std::env::var("PATH").unwrap();
    let config = with_writing(&app, format!("{stub_url}/ok"), Some("PATH"));
    let mut app = app.with_config(config).await;
    let a = answers(&app, &h).await;
    let model_text = "A calm stay at Test Hotel Bangkok, in Thailand.";
    assert_eq!(a[0]["description"], model_text);
    assert_eq!(a[0]["name"], deterministic[0]["name"]);
    assert_eq!(a[1]["description"], model_text);
    assert_eq!(a[4]["description"], model_text);
    assert_eq!(a[4]["title"], "Deluxe Room");
    // The profile's other fields, and the amenity, are the stored data's.
    assert_eq!(a[2]["ambiance"], model_text);
    assert_eq!(a[2]["address1"], deterministic[2]["address1"]);
    assert_eq!(a[3], deterministic[3]);
    {
        let seen = stub.lock().unwrap();
        assert_eq!(seen.bodies.len(), 4, "welcome, improve, ambiance, room");
        let first = &seen.bodies[0];
        assert_eq!(first["model"], "stub-model");
        let prompt = first["messages"][1]["content"].as_str().unwrap();
        assert!(prompt.contains("name: Test Hotel Bangkok"), "{prompt}");
        assert!(prompt.contains("stars: 4"), "{prompt}");
        assert!(prompt.contains("Baan Thai"), "{prompt}");
        let room_prompt = seen.bodies[3]["messages"][1]["content"].as_str().unwrap();
        assert!(room_prompt.contains("32 m²"), "{room_prompt}");
        assert!(
            seen.authorizations
                .iter()
                .all(|a| *a == format!("Bearer {key}"))
        );
        assert_eq!(seen.authorizations.len(), 4);
    }

    // A model too slow, failing, or stating what the facts do not hold: the deterministic text.
    for path in ["slow", "broken", "invented"] {
        let config = with_writing(&app, format!("{stub_url}/{path}"), None);
        app = app.with_config(config).await;
        let started = std::time::Instant::now();
        assert_eq!(welcome(&app, &h).await, deterministic[0], "{path}");
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "{path}: waited {:?}",
            started.elapsed()
        );
    }
    assert_eq!(stub.lock().unwrap().bodies.len(), 7);

    // Nobody listening: the deterministic text.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = closed.local_addr().unwrap();
    drop(closed);
    let config = with_writing(&app, format!("http://{address}/v1/chat/completions"), None);
    let app = app.with_config(config).await;
    assert_eq!(welcome(&app, &h).await, deterministic[0]);

    assert_eq!(stored(&app, &h).await, before);
}

#[test]
fn a_key_variable_that_is_not_set_stops_the_start() {
    let config = WritingConfig {
        url: "http://127.0.0.1:9/v1/chat/completions".into(),
        model: "m".into(),
        api_key_env: Some("WINK_TEST_SURELY_UNSET_WRITING_KEY".into()),
        timeout_seconds: 10,
    };
    let err = wink_api::writing::Writer::new(Some(&config)).unwrap_err();
    assert!(err.contains("WINK_TEST_SURELY_UNSET_WRITING_KEY"), "{err}");
    let config = WritingConfig {
        url: "ftp://example".into(),
        api_key_env: None,
        ..config
    };
    assert!(wink_api::writing::Writer::new(Some(&config)).is_err());
}

on_both_engines!(
    suggestions_come_from_the_stored_facts,
    a_language_model_writes_when_it_answers_well
);
