//! Webhooks, the event feed and the delivery worker: a booking produces one signed webhook; a
//! failing receiver gets the event again with the same `webhook-id`; two nodes deliver each
//! event once, in order; a consumer catches up through `events?after=`; private addresses are
//! refused unless allowed; notifications go through the configured mail sender.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, Method, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use futures_util::future::BoxFuture;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use uuid::Uuid;
use wink_api::outbound::{DeliveryFailure, MailSender, OutboxConfig, WebhooksConfig};
use wink_api::{ApiConfig, AppState};
use wink_store::events::{self, NewEvent};
use wink_store::notifications::Notification;
use wink_store::webhooks::{DEAD, DELIVERED};
use wink_store::{Store, StoreOptions};

use crate::booking_lifecycle::{booked, cancel_body};
use crate::bookings::{Shop, day};
use crate::on_both_engines;
use crate::support::{Persona, TestApp};

/// What a receiver got in one request.
#[derive(Debug, Clone)]
struct Received {
    id: String,
    timestamp: String,
    signature: String,
    webhook_seq: i64,
    body: Vec<u8>,
}

impl Received {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// A webhook receiver on 127.0.0.1 that answers 500 to its first `failures` requests, then 204.
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    async fn start(failures: usize) -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address: SocketAddr = listener.local_addr().unwrap();
        let got = Arc::new(Mutex::new(Vec::new()));
        let left = Arc::new(AtomicUsize::new(failures));
        let record = got.clone();
        let router = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: HeaderMap, body: axum::body::Bytes| {
                let record = record.clone();
                let left = left.clone();
                async move {
                    let header = |name: &str| {
                        headers
                            .get(name)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("")
                            .to_string()
                    };
                    record.lock().unwrap().push(Received {
                        id: header("webhook-id"),
                        timestamp: header("webhook-timestamp"),
                        signature: header("webhook-signature"),
                        webhook_seq: header("wink-webhook-sequence").parse().unwrap_or(-1),
                        body: body.to_vec(),
                    });
                    let fail = left
                        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                        .is_ok();
                    if fail {
                        StatusCode::INTERNAL_SERVER_ERROR
                    } else {
                        StatusCode::NO_CONTENT
                    }
                }
            }),
        );
        tokio::spawn(async move { axum::serve(listener, router).await });
        Receiver {
            url: format!("http://{address}/hook"),
            got,
        }
    }

    fn got(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    /// Waits (up to 20 s) until it got `n` requests, then a little longer to see that no more come.
    async fn wait_for(&self, n: usize) -> Vec<Received> {
        for _ in 0..1000 {
            if self.got().len() >= n {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        self.got()
    }
}

/// The Standard Webhooks check, written here from the specification (not the server's code):
/// one of the `v1,` signatures is the HMAC-SHA256 of `id.timestamp.body` under the secret's key.
fn verifies(secret: &str, r: &Received) -> bool {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap())
        .unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.", r.id, r.timestamp).as_bytes());
    mac.update(&r.body);
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    r.signature.split(' ').any(|s| s == expected)
}

/// The test's settings: loopback allowed, fast retries and polling.
async fn configured(app: TestApp, allow_private: bool) -> TestApp {
    let c = config(&app, allow_private);
    app.with_config(c).await
}

fn config(app: &TestApp, allow_private: bool) -> ApiConfig {
    settings(&app.state, allow_private)
}

fn settings(state: &AppState, allow_private: bool) -> ApiConfig {
    ApiConfig {
        webhooks: WebhooksConfig {
            allow_private,
            timeout_seconds: 5,
            ..Default::default()
        },
        outbox: OutboxConfig {
            backoff_base_ms: 50,
            backoff_cap_seconds: 1,
            poll_interval_ms: 20,
            ..Default::default()
        },
        ..state.config.as_ref().clone()
    }
}

fn webhooks(property: Uuid) -> String {
    format!("/api/managing-entity/{property}/webhooks")
}

async fn subscribe(app: &TestApp, p: &Persona, property: Uuid, url: &str, types: &[&str]) -> Value {
    let r = app
        .post(
            &webhooks(property),
            &p.token,
            &json!({ "url": url, "eventTypes": types }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    r.json
}

/// A booking produces exactly one webhook, signed so that an independent check verifies it, with
/// the event's id and the feed's event as its body.
async fn a_booking_sends_one_signed_webhook(app: TestApp) {
    let app = configured(app, true).await;
    let s = Shop::new(&app, 3).await;
    let receiver = Receiver::start(0).await;
    let sub = subscribe(
        &app,
        &s.p,
        s.property,
        &receiver.url,
        &["booking.created", "booking.cancelled"],
    )
    .await;
    let secret = sub["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"));
    let worker = wink_api::outbound::spawn(app.state.clone());

    let booking = booked(&app, &s, day(3), day(5), ("Ann", "Lee", "ann@example.com")).await;
    let got = receiver.wait_for(1).await;
    assert_eq!(got.len(), 1, "{got:?}");
    let hook = &got[0];
    assert!(verifies(&secret, hook), "{hook:?}");
    assert!(!verifies(&wink_api::outbound::signing::new_secret(), hook));
    let body = hook.json();
    assert_eq!(body["type"], "booking.created");
    assert_eq!(body["data"]["bookingIdentifier"], booking["id"]);
    assert_eq!(body["data"]["bookingStatus"], booking["bookingStatus"]);
    assert!(body["data"].get("guest").is_none() && !hook.body.windows(7).any(|w| w == b"ann@exa"));
    assert_eq!(hook.webhook_seq, 1);

    let feed = app
        .get(
            &format!("/api/managing-entity/{}/events", s.property),
            &s.p.token,
        )
        .await;
    assert_eq!(feed.status, StatusCode::OK, "{}", feed.json);
    // The feed also holds the setup's rate and availability events; the booking's is the same
    // event the webhook carried.
    let events = feed.json["events"].as_array().unwrap();
    let created: Vec<&Value> = events
        .iter()
        .filter(|e| e["type"] == "booking.created")
        .collect();
    assert_eq!(created.len(), 1, "{events:?}");
    assert_eq!(created[0]["id"], hook.id.as_str());
    assert_eq!(created[0]["data"], body["data"]);
    assert_eq!(created[0]["timestamp"], body["timestamp"]);

    // A cancellation is the second delivery; a booking that is refused records nothing.
    let id = booking["id"].as_str().unwrap();
    let r = app
        .patch(
            &format!("{}/booking/{id}/cancel", s.root()),
            &s.p.token,
            &cancel_body("CANCELLATION", "Plans changed"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let got = receiver.wait_for(2).await;
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].json()["type"], "booking.cancelled");
    assert_eq!(
        got[1].json()["data"]["cancellation"]["cancellationType"],
        "CANCELLATION"
    );
    assert_eq!(got[1].webhook_seq, 2);
    assert!(verifies(&secret, &got[1]));

    app.state.shutdown.begin();
    worker.await.unwrap();
}

/// A receiver that answers 500 twice gets the event on the third try, with the same
/// `webhook-id`; the delivery is recorded delivered after 3 attempts.
async fn a_failing_receiver_gets_the_event_on_the_third_try(app: TestApp) {
    let app = configured(app, true).await;
    let p = app.persona(&[]).await;
    let property = app.property(&p).await;
    let receiver = Receiver::start(2).await;
    let sub = subscribe(&app, &p, property, &receiver.url, &["rates.changed"]).await;
    let worker = wink_api::outbound::spawn(app.state.clone());
    let event = NewEvent::new(
        property,
        events::RATES_CHANGED,
        json!({"days": []}),
        app.state.now(),
    );
    app.store.record_event(&event).await.unwrap();
    let got = receiver.wait_for(3).await;
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(got.iter().all(|r| r.id == event.id.to_string()));
    assert!(
        got.iter()
            .all(|r| verifies(sub["secret"].as_str().unwrap(), r))
    );
    let sub_id: Uuid = sub["id"].as_str().unwrap().parse().unwrap();
    let rows = app.store.webhook_deliveries(sub_id, 10).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].status.as_str(), rows[0].attempts), (DELIVERED, 3));
    app.state.shutdown.begin();
    worker.await.unwrap();
}

/// Two nodes on one database, each with its worker, deliver each event exactly once, and a
/// subscription's events in their order.
async fn two_nodes_deliver_each_event_once(app: TestApp) {
    let config = config(&app, true);
    let app = app.with_config(config.clone()).await;
    let p = app.persona(&[]).await;
    let property = app.property(&p).await;
    let receiver = Receiver::start(0).await;
    subscribe(&app, &p, property, &receiver.url, &["availability.changed"]).await;
    let mut options = StoreOptions::new(&app.url);
    options.max_connections = 4;
    let other = Store::open(&options).await.unwrap();
    let node2 = wink_api::build_with_clock(other, config, app.state.clock.clone())
        .await
        .unwrap();
    let workers = [
        wink_api::outbound::spawn(app.state.clone()),
        wink_api::outbound::spawn(node2.state.clone()),
    ];
    const EVENTS: usize = 40;
    let mut ids = Vec::new();
    for i in 0..EVENTS {
        let event = NewEvent::new(
            property,
            events::AVAILABILITY_CHANGED,
            json!({ "n": i }),
            app.state.now(),
        );
        // Half through each node's store.
        let store = if i % 2 == 0 {
            &app.store
        } else {
            &node2.state.store
        };
        store.record_event(&event).await.unwrap();
        ids.push(event.id.to_string());
    }
    let got = receiver.wait_for(EVENTS).await;
    let received: Vec<String> = got.iter().map(|r| r.id.clone()).collect();
    assert_eq!(received, ids, "each event once, in order");
    let seqs: Vec<i64> = got.iter().map(|r| r.webhook_seq).collect();
    assert_eq!(seqs, (1..=EVENTS as i64).collect::<Vec<_>>());
    app.state.shutdown.begin();
    node2.state.shutdown.begin();
    for w in workers {
        w.await.unwrap();
    }
}

/// A consumer that was down reads every event, in order, page by page from the last sequence
/// it saw; it reads only the families its scopes read.
async fn a_consumer_catches_up_through_the_feed(app: TestApp) {
    let s = Shop::new(&app, 5).await;
    let feed = format!("/api/managing-entity/{}/events", s.property);
    // Where the shop's own setup left the feed (rates written may be events too).
    let start = app
        .get(&format!("{feed}?limit=1000"), &s.p.token)
        .await
        .json["next"]
        .as_i64()
        .unwrap();
    let first = booked(&app, &s, day(3), day(4), ("Ann", "Lee", "ann@example.com")).await;
    let id = first["id"].as_str().unwrap();
    let r = app
        .patch(
            &format!("{}/booking/{id}/cancel", s.root()),
            &s.p.token,
            &cancel_body("CANCELLATION", "Plans changed"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    app.store
        .record_event(&NewEvent::new(
            s.property,
            events::RESTRICTIONS_CHANGED,
            json!({"x": 1}),
            app.state.now(),
        ))
        .await
        .unwrap();
    for i in 0..3 {
        booked(
            &app,
            &s,
            day(5 + i),
            day(6 + i),
            ("Bo", "Kim", "bo@example.com"),
        )
        .await;
    }
    let mut after = start;
    let mut seen = Vec::new();
    loop {
        let r = app
            .get(&format!("{feed}?after={after}&limit=2"), &s.p.token)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.json);
        for e in r.json["events"].as_array().unwrap() {
            seen.push((
                e["sequence"].as_i64().unwrap(),
                e["type"].as_str().unwrap().to_string(),
            ));
        }
        after = r.json["next"].as_i64().unwrap();
        if !r.json["hasMore"].as_bool().unwrap() {
            break;
        }
    }
    // Every event once, in order, without gaps; these among them (others may be ARI events the
    // bookings caused).
    let numbers: Vec<i64> = seen.iter().map(|(n, _)| *n).collect();
    assert_eq!(numbers, (start + 1..=after).collect::<Vec<_>>());
    let ours: Vec<&str> = seen
        .iter()
        .map(|(_, t)| t.as_str())
        .filter(|t| t.starts_with("booking.") || *t == "restrictions.changed")
        .collect();
    assert_eq!(
        ours,
        [
            "booking.created",
            "booking.cancelled",
            "restrictions.changed",
            "booking.created",
            "booking.created",
            "booking.created"
        ]
    );
    let restriction = seen
        .iter()
        .find(|(_, t)| t == "restrictions.changed")
        .unwrap()
        .0;
    let r = app.get(&format!("{feed}?after={after}"), &s.p.token).await;
    assert_eq!(
        (
            r.json["events"].as_array().unwrap().len(),
            r.json["next"].as_i64()
        ),
        (0, Some(after))
    );

    // Scopes: inventory.read reads ARI events only, booking.read booking events only.
    let ari = app.persona_of(s.p.account_id, &["inventory.read"]).await;
    let r = app.get(&format!("{feed}?limit=1000"), &ari.token).await;
    let events = r.json["events"].as_array().unwrap();
    assert!(
        events
            .iter()
            .all(|e| !e["type"].as_str().unwrap().starts_with("booking."))
    );
    assert!(events.iter().any(|e| e["sequence"] == restriction));
    let bookings = app.persona_of(s.p.account_id, &["booking.read"]).await;
    let r = app
        .get(&format!("{feed}?limit=1000"), &bookings.token)
        .await;
    let types: Vec<&str> = r.json["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(types.len(), 5);
    assert!(types.iter().all(|t| t.starts_with("booking.")));
    let neither = app.persona_of(s.p.account_id, &["content.read"]).await;
    app.get(&feed, &neither.token)
        .await
        .problem(StatusCode::FORBIDDEN);

    // Bad cursors are 400s naming the parameter.
    for (query, field) in [
        ("after=-1", "after"),
        ("after=x", "after"),
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
    ] {
        let r = app.get(&format!("{feed}?{query}"), &s.p.token).await;
        assert_eq!(r.invalid_fields(), [field], "{query}");
    }
}

/// Loopback and private addresses are refused unless `[webhooks] allow_private`: an address in
/// the URL at once (400 naming `/url`), a name that resolves to one at delivery (dead, nothing
/// sent).
async fn private_addresses_are_refused_unless_allowed(app: TestApp) {
    let strict = configured(app, false).await;
    let p = strict.persona(&[]).await;
    let property = strict.property(&p).await;
    let receiver = Receiver::start(0).await;
    for url in [
        receiver.url.clone(),
        "http://10.0.0.1/x".into(),
        "http://[::1]:8/x".into(),
        "http://169.254.169.254/latest".into(),
    ] {
        let r = strict
            .post(
                &webhooks(property),
                &p.token,
                &json!({ "url": url, "eventTypes": ["rates.changed"] }),
            )
            .await;
        assert_eq!(r.invalid_fields(), ["/url"], "{url}");
    }
    let by_name = receiver.url.replace("127.0.0.1", "localhost");
    let sub = subscribe(&strict, &p, property, &by_name, &["rates.changed"]).await;
    let worker = wink_api::outbound::spawn(strict.state.clone());
    strict
        .store
        .record_event(&NewEvent::new(
            property,
            events::RATES_CHANGED,
            json!({}),
            strict.state.now(),
        ))
        .await
        .unwrap();
    let sub_id: Uuid = sub["id"].as_str().unwrap().parse().unwrap();
    let mut rows = Vec::new();
    for _ in 0..250 {
        rows = strict.store.webhook_deliveries(sub_id, 10).await.unwrap();
        if rows.iter().any(|d| d.status == DEAD) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(rows[0].status, DEAD, "{rows:?}");
    assert!(
        rows[0]
            .last_error
            .as_deref()
            .unwrap_or("")
            .contains("allow_private"),
        "{rows:?}"
    );
    assert!(receiver.got().is_empty());
    strict.state.shutdown.begin();
    worker.await.unwrap();

    // Allowed: the dead delivery, retried by the operator, reaches the receiver.
    let allowed = {
        let c = config(&strict, true);
        strict.with_config(c)
    }
    .await;
    let retried = allowed
        .store
        .retry_outbox(None, allowed.state.now())
        .await
        .unwrap();
    assert_eq!(retried, 1);
    let worker = wink_api::outbound::spawn(allowed.state.clone());
    assert_eq!(receiver.wait_for(1).await.len(), 1);
    allowed.state.shutdown.begin();
    worker.await.unwrap();
}

/// A subscription's life: the secret shown once, versions and `If-Match`, rotation (both secrets
/// sign during the overlap), deletion; scopes limit what a caller may subscribe to and see.
async fn subscriptions_are_managed_under_the_property(app: TestApp) {
    let app = configured(app, true).await;
    let p = app.persona(&[]).await;
    let property = app.property(&p).await;
    let receiver = Receiver::start(0).await;
    let sub = subscribe(
        &app,
        &p,
        property,
        &receiver.url,
        &["rates.changed", "booking.created", "rates.changed"],
    )
    .await;
    assert_eq!(
        sub["eventTypes"],
        json!(["rates.changed", "booking.created"])
    );
    assert_eq!(
        (sub["active"].as_bool(), sub["version"].as_i64()),
        (Some(true), Some(1))
    );
    let one = format!("{}/{}", webhooks(property), sub["id"].as_str().unwrap());
    let shown = app.get(&one, &p.token).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(
        shown.json.get("secret").is_none(),
        "the secret is shown once"
    );
    assert_eq!(shown.headers["etag"], "\"1\"");
    let listed = app.get(&webhooks(property), &p.token).await;
    assert_eq!(listed.json.as_array().unwrap().len(), 1);

    // Bad requests name the field and change nothing.
    for (body, field) in [
        (
            json!({ "url": "ftp://example.com/x", "eventTypes": ["rates.changed"] }),
            "/url",
        ),
        (
            json!({ "url": "not a url", "eventTypes": ["rates.changed"] }),
            "/url",
        ),
        (
            json!({ "url": "https://u:p@example.com/x", "eventTypes": ["rates.changed"] }),
            "/url",
        ),
        (
            json!({ "url": "https://example.com/x", "eventTypes": ["rates.changed", "content.changed"] }),
            "/eventTypes/1",
        ),
        (
            json!({ "url": "https://example.com/x", "eventTypes": [] }),
            "/eventTypes",
        ),
    ] {
        let r = app.put(&one, &p.token, &body).await;
        assert_eq!(r.invalid_fields(), [field], "{body}");
    }

    // Versions: a stale If-Match is 412, a stale body version 409.
    let change = json!({ "url": receiver.url, "eventTypes": ["rates.changed"], "active": false });
    let r = app
        .send_if(Method::PUT, &one, &p.token, &change, Some("\"1\""))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(
        (r.json["active"].as_bool(), r.json["version"].as_i64()),
        (Some(false), Some(2))
    );
    app.send_if(Method::PUT, &one, &p.token, &change, Some("\"1\""))
        .await
        .problem(StatusCode::PRECONDITION_FAILED);
    let mut stale = change.clone();
    stale["version"] = json!(1);
    app.put(&one, &p.token, &stale)
        .await
        .problem(StatusCode::CONFLICT);

    // Inactive: events of the meantime are not delivered to it.
    app.store
        .record_event(&NewEvent::new(
            property,
            events::RATES_CHANGED,
            json!({"off": true}),
            app.state.now(),
        ))
        .await
        .unwrap();
    let on = json!({ "url": receiver.url, "eventTypes": ["rates.changed"] });
    assert_eq!(app.put(&one, &p.token, &on).await.status, StatusCode::OK);

    // Rotation: a new secret, and both sign until the overlap ends.
    let rotated = app
        .post(&format!("{one}/rotate-secret"), &p.token, &json!({}))
        .await;
    assert_eq!(rotated.status, StatusCode::OK, "{}", rotated.json);
    let new_secret = rotated.json["secret"].as_str().unwrap().to_string();
    assert_ne!(new_secret, sub["secret"].as_str().unwrap());
    assert!(rotated.json["previousSecretExpiresAt"].is_string());
    let worker = wink_api::outbound::spawn(app.state.clone());
    app.store
        .record_event(&NewEvent::new(
            property,
            events::RATES_CHANGED,
            json!({"on": true}),
            app.state.now(),
        ))
        .await
        .unwrap();
    let got = receiver.wait_for(1).await;
    assert_eq!(got.len(), 1, "only the event recorded while active");
    assert_eq!(got[0].json()["data"], json!({"on": true}));
    assert_eq!(got[0].signature.split(' ').count(), 2);
    assert!(verifies(&new_secret, &got[0]) && verifies(sub["secret"].as_str().unwrap(), &got[0]));
    app.state.shutdown.begin();
    worker.await.unwrap();

    // Scopes: an inventory-only caller cannot subscribe to booking events, nor see or delete a
    // subscription that has them.
    let ari = app.persona_of(p.account_id, &["inventory.read"]).await;
    let r = app
        .post(
            &webhooks(property),
            &ari.token,
            &json!({ "url": receiver.url, "eventTypes": ["booking.created"] }),
        )
        .await;
    assert!(
        r.problem(StatusCode::FORBIDDEN)["detail"]
            .as_str()
            .unwrap()
            .contains("booking.read")
    );
    let both = subscribe(
        &app,
        &p,
        property,
        &receiver.url,
        &["booking.created", "rates.changed"],
    )
    .await;
    let both_url = format!("{}/{}", webhooks(property), both["id"].as_str().unwrap());
    app.get(&both_url, &ari.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    app.delete(&both_url, &ari.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&webhooks(property), &ari.token)
            .await
            .json
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let neither = app.persona_of(p.account_id, &["content.read"]).await;
    app.get(&webhooks(property), &neither.token)
        .await
        .problem(StatusCode::FORBIDDEN);

    // Deletion answers it as it was; then it is gone.
    let r = app.delete(&one, &p.token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    app.get(&one, &p.token).await.problem(StatusCode::NOT_FOUND);
}

/// A mail sender that records what it was given.
#[derive(Debug, Default)]
struct RecordingMailer {
    sent: Mutex<Vec<Notification>>,
    failures: AtomicUsize,
}

impl MailSender for RecordingMailer {
    fn deliver<'a>(
        &'a self,
        _: &'a AppState,
        note: &'a Notification,
    ) -> BoxFuture<'a, Result<(), DeliveryFailure>> {
        Box::pin(async move {
            if self
                .failures
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok()
            {
                return Err(DeliveryFailure::Retry("the relay is down".into()));
            }
            self.sent.lock().unwrap().push(note.clone());
            Ok(())
        })
    }
}

/// The notification queue: with a mail sender, each notification is delivered once (after a
/// failure, retried) and marked sent; without one, notifications stay in the outbox untouched.
async fn notifications_go_through_the_mail_sender(app: TestApp) {
    let app = configured(app, true).await;
    let s = Shop::new(&app, 3).await;
    let query = s.query(day(4), day(5), 2);
    let offer = s.offer(&app, &query).await;
    let mut body = s.booking_request(&query, &offer, ("Ann", "Lee", "ann@example.com"));
    body["notification"]["notifyBooker"] = json!(true);
    body["notification"]["notifyProperty"] = json!(true);
    let r = s.book(&app, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let booking: Uuid = r.json["id"].as_str().unwrap().parse().unwrap();

    // No mail sender: the worker leaves them.
    let worker = wink_api::outbound::spawn(app.state.clone());
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.state.shutdown.begin();
    worker.await.unwrap();
    let notes = app.store.booking_notifications(&[booking]).await.unwrap();
    assert!(notes.iter().all(|n| n.sent_at.is_none()));
    assert_eq!(app.store.outbox(false, 10).await.unwrap().len(), 2);

    let mailer = Arc::new(RecordingMailer {
        failures: AtomicUsize::new(1),
        ..Default::default()
    });
    let app = {
        let c = config(&app, true);
        app.with_config(c).await
    };
    let mut state = app.state.clone();
    state.mailer = Some(mailer.clone());
    let worker = wink_api::outbound::spawn(state);
    for _ in 0..250 {
        if mailer.sent.lock().unwrap().len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.state.shutdown.begin();
    worker.await.unwrap();
    let sent = mailer.sent.lock().unwrap().clone();
    let mut recipients: Vec<&str> = sent.iter().map(|n| n.recipient.as_str()).collect();
    recipients.sort();
    assert_eq!(
        recipients,
        ["ann@example.com", "reservations@test-hotel.example"]
    );
    let notes = app.store.booking_notifications(&[booking]).await.unwrap();
    assert!(notes.iter().all(|n| n.sent_at.is_some()), "{notes:?}");
    assert!(app.store.outbox(false, 10).await.unwrap().is_empty());
}

on_both_engines!(
    a_booking_sends_one_signed_webhook,
    a_failing_receiver_gets_the_event_on_the_third_try,
    two_nodes_deliver_each_event_once,
    a_consumer_catches_up_through_the_feed,
    private_addresses_are_refused_unless_allowed,
    subscriptions_are_managed_under_the_property,
    notifications_go_through_the_mail_sender,
);

/// Measurement (run with `--ignored --nocapture`): events delivered per second to a local
/// receiver by one worker, for one subscription (strictly one after the other) and for ten
/// subscriptions (one in flight each).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: run with --ignored --nocapture"]
async fn delivery_throughput() {
    let app = TestApp::sqlite().await;
    let app = configured(app, true).await;
    let p = app.persona(&[]).await;
    for (subscriptions, per_sub) in [(1usize, 500usize), (10, 100)] {
        let property = app.property(&p).await;
        let receiver = Receiver::start(0).await;
        for _ in 0..subscriptions {
            subscribe(&app, &p, property, &receiver.url, &["rates.changed"]).await;
        }
        for i in 0..per_sub {
            let event = NewEvent::new(
                property,
                events::RATES_CHANGED,
                json!({ "n": i }),
                app.state.now(),
            );
            app.store.record_event(&event).await.unwrap();
        }
        let total = subscriptions * per_sub;
        let state = app.state.clone();
        let started = std::time::Instant::now();
        let worker = wink_api::outbound::spawn(state);
        while receiver.got().len() < total {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let elapsed = started.elapsed();
        eprintln!(
            "{subscriptions} subscription(s), {total} deliveries: {:.2} s, {:.0} deliveries/s",
            elapsed.as_secs_f64(),
            total as f64 / elapsed.as_secs_f64()
        );
        worker.abort();
    }
}
