//! The last rooms, booked by many clients at once over real TCP: exactly as many bookings as
//! rooms succeed, every other one is refused with a problem, availability never goes below zero.

use axum::http::StatusCode;
use serde_json::{Value, json};
use tokio::task::JoinSet;

use crate::bookings::{Shop, day};
use crate::on_both_engines;
use crate::support::TestApp;

const CLIENTS: usize = 50;
const ROOMS_LEFT: u32 = 3;

async fn last_rooms_are_sold_once(app: TestApp) {
    let s = Shop::new(&app, 5).await;
    let (a, d) = (day(5), day(8));
    // 3 rooms left on the stay's nights; more on the departure night.
    s.rates(
        &app,
        a,
        d - chrono::Days::new(1),
        json!({ "numberOfUnits": ROOMS_LEFT }),
    )
    .await;
    let query = s.query(a, d, 2);
    let offer = s.offer(&app, &query).await;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app.router.clone();
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let client = reqwest::Client::new();
    let url = format!("http://{addr}{}/sandbox/booking", s.root());

    let mut tasks = JoinSet::new();
    for i in 0..CLIENTS {
        let body = s.booking_request(
            &query,
            &offer,
            (
                "Guest",
                &format!("Number{i}"),
                &format!("guest{i}@example.com"),
            ),
        );
        let (client, url, token) = (client.clone(), url.clone(), s.p.token.clone());
        tasks.spawn(async move {
            let r = client
                .post(&url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .expect("the server answers");
            let status = r.status().as_u16();
            let content_type = r
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            let json: Value = r.json().await.unwrap_or(Value::Null);
            (status, content_type, json)
        });
    }
    let mut created = Vec::new();
    let mut refused = 0;
    while let Some(answer) = tasks.join_next().await {
        let (status, content_type, json) = answer.unwrap();
        match status {
            201 => created.push(json["id"].as_str().unwrap().to_string()),
            409 => {
                assert_eq!(content_type, "application/problem+json");
                assert_eq!(json["status"], 409);
                let detail = json["detail"].as_str().unwrap();
                assert!(
                    detail.contains("sold out on") || detail.contains("rooms left"),
                    "{detail}"
                );
                refused += 1;
            }
            other => panic!("unexpected {other}: {json}"),
        }
    }
    assert_eq!(
        (created.len(), refused),
        (ROOMS_LEFT as usize, CLIENTS - ROOMS_LEFT as usize)
    );
    assert_eq!(s.units(&app, a, d).await, [0, 0, 0, 5]);
    let list = app
        .get(&format!("{}/booking/list", s.root()), &s.p.token)
        .await;
    assert_eq!(list.json["totalElements"], ROOMS_LEFT);

    // Cancelling one gives its room back on every night.
    let r = app
        .patch(
            &format!("{}/booking/{}/cancel", s.root(), created[0]),
            &s.p.token,
            &json!({ "cancellationType": "CANCELLATION", "reason": "Plans changed" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(s.units(&app, a, d).await, [1, 1, 1, 5]);
    server.abort();
}

on_both_engines!(last_rooms_are_sold_once);
